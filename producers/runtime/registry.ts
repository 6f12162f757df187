/**
 * A small client for the Confluent schema registry API (served by Apicurio at /apis/ccompat/v7): the
 * four calls the services make, with errors that say what the registry answered.
 */
const JSON_TYPE = "application/vnd.schemaregistry.v1+json";

export class RegistryError extends Error {
  override readonly name = "RegistryError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export type Compatibility = "BACKWARD" | "BACKWARD_TRANSITIVE" | "FORWARD" | "FULL" | "NONE";

export class SchemaRegistryClient {
  private readonly base: string;
  private readonly byId = new Map<number, Promise<string>>();

  constructor(url: string) {
    this.base = url.replace(/\/+$/, "");
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { "content-type": JSON_TYPE, accept: JSON_TYPE },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // not JSON: keep the text as it came
      }
      throw new RegistryError(`${method} ${path}: ${res.status} ${message}`, res.status);
    }
    return JSON.parse(text) as T;
  }

  async setCompatibility(subject: string, compatibility: Compatibility): Promise<void> {
    await this.call("PUT", `/config/${encodeURIComponent(subject)}`, { compatibility });
  }

  async compatibility(subject: string): Promise<string> {
    const r = await this.call<{ compatibilityLevel: string }>(
      "GET",
      `/config/${encodeURIComponent(subject)}`,
    );
    return r.compatibilityLevel;
  }

  /** Registers a schema version (a no-op returning the same id if it is already there). */
  async register(subject: string, schema: object): Promise<number> {
    const r = await this.call<{ id: number }>("POST", `/subjects/${encodeURIComponent(subject)}/versions`, {
      schema: JSON.stringify(schema),
    });
    return r.id;
  }

  /** The id of exactly this schema under the subject, or undefined if it is not registered. */
  async lookup(subject: string, schema: object): Promise<number | undefined> {
    try {
      const r = await this.call<{ id: number }>("POST", `/subjects/${encodeURIComponent(subject)}`, {
        schema: JSON.stringify(schema),
      });
      return r.id;
    } catch (e) {
      if (e instanceof RegistryError && e.status === 404) return undefined;
      throw e;
    }
  }

  /**
   * Deletes a subject with every version, soft then for good, so that a new election of the same name
   * starts with no history. Resolves false when there was no such subject.
   */
  async deleteSubject(subject: string): Promise<boolean> {
    const path = `/subjects/${encodeURIComponent(subject)}`;
    let found = true;
    for (const query of ["", "?permanent=true"]) {
      try {
        await this.call("DELETE", `${path}${query}`);
      } catch (e) {
        if (!(e instanceof RegistryError && e.status === 404)) throw e;
        if (query === "") found = false;
      }
    }
    return found;
  }

  /**
   * A writer schema by id, cached (ids are immutable). Resolves undefined for an id the registry does
   * not know; a failed call is not cached so the next message retries it.
   */
  async schemaById(id: number): Promise<string | undefined> {
    let pending = this.byId.get(id);
    if (pending === undefined) {
      pending = this.call<{ schema: string }>("GET", `/schemas/ids/${id}`).then((r) => r.schema);
      this.byId.set(id, pending);
      pending.catch(() => this.byId.delete(id));
    }
    try {
      return await pending;
    } catch (e) {
      if (e instanceof RegistryError && e.status === 404) return undefined;
      throw e;
    }
  }
}
