import { request, type RequestOptions } from "node:https";
import { request as plainRequest } from "node:http";
import {
  ApiException,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from "@kubernetes/client-node";

/** A request the API server has not answered in this long is given up (and retried by its caller). */
const REQUEST_TIMEOUT_MS = 30_000;

/** A kind as the API serves it, from discovery. */
interface ApiResource {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly [field: string]: unknown;
  };
}

/**
 * The Kubernetes API as plain JSON, for objects whose every field must reach the API server as it
 * is: the client's generic object API serializes through its typed models, which drop what they do
 * not model (a CRD schema's x-kubernetes-* keys, a field newer than the client). Kinds are resolved
 * through discovery, once per group version.
 */
export class KubeRest {
  private readonly discovery = new Map<string, Promise<readonly ApiResource[]>>();

  constructor(private readonly config: KubeConfig) {}

  async request<T>(
    method: string,
    path: string,
    options: {
      readonly body?: unknown;
      readonly contentType?: string;
      readonly query?: Record<string, string>;
    } = {},
  ): Promise<T> {
    const cluster = this.config.getCurrentCluster();
    if (!cluster) throw new Error("the kubeconfig names no cluster");
    const url = new URL(path, cluster.server);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const opts: RequestOptions = { method, headers: { accept: "application/json" } };
    await this.config.applyToHTTPSOptions(opts);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    if (body !== undefined) {
      opts.headers = { ...opts.headers, "content-type": options.contentType ?? "application/json" };
    }
    const send = url.protocol === "https:" ? request : plainRequest;
    return new Promise<T>((resolve, reject) => {
      const req = send(url, opts, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) {
            resolve((text === "" ? undefined : JSON.parse(text)) as T);
          } else {
            const headers = Object.fromEntries(
              Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]),
            );
            reject(new ApiException(code, `${method} ${url.pathname}: HTTP ${code}`, text, headers));
          }
        });
      });
      req.setTimeout(REQUEST_TIMEOUT_MS, () =>
        req.destroy(new Error(`${method} ${url.pathname}: no answer in ${REQUEST_TIMEOUT_MS} ms`)),
      );
      req.on("error", reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  private resources(apiVersion: string): Promise<readonly ApiResource[]> {
    let found = this.discovery.get(apiVersion);
    if (found === undefined) {
      found = this.request<{ resources: ApiResource[] }>("GET", groupVersionPath(apiVersion)).then((list) =>
        list.resources.filter((r) => !r.name.includes("/")),
      );
      // A failed lookup is asked again next time: the CRD may have been installed meanwhile.
      found.catch(() => this.discovery.delete(apiVersion));
      this.discovery.set(apiVersion, found);
    }
    return found;
  }

  /** The path of a kind in a namespace (or cluster-wide), and of one object when named. */
  async path(ref: ObjectRef, named = true): Promise<string> {
    let resource = (await this.resources(ref.apiVersion)).find((r) => r.kind === ref.kind);
    if (resource === undefined) {
      this.discovery.delete(ref.apiVersion);
      resource = (await this.resources(ref.apiVersion)).find((r) => r.kind === ref.kind);
    }
    if (resource === undefined)
      throw new Error(`Unrecognized API version and kind: ${ref.apiVersion} ${ref.kind}`);
    const { namespace, name } = ref.metadata;
    const scope = resource.namespaced && namespace ? `/namespaces/${namespace}` : "";
    const one = named && name ? `/${name}` : "";
    return `${groupVersionPath(ref.apiVersion)}${scope}/${resource.name}${one}`;
  }

  /** Server-side apply under the field manager, taking over fields other managers own. */
  async apply<T extends KubernetesObject>(
    object: ObjectRef,
    fieldManager: string,
    options: { readonly dryRun?: boolean } = {},
  ): Promise<T> {
    return this.request<T>("PATCH", await this.path(object), {
      body: object,
      contentType: "application/apply-patch+yaml",
      query: { fieldManager, force: "true", ...(options.dryRun ? { dryRun: "All" } : {}) },
    });
  }

  async get<T extends KubernetesObject>(ref: ObjectRef): Promise<T> {
    return this.request<T>("GET", await this.path(ref));
  }

  async list<T extends KubernetesObject>(
    apiVersion: string,
    kind: string,
    namespace: string,
    labelSelector?: string,
  ): Promise<KubernetesListObject<T>> {
    const path = await this.path({ apiVersion, kind, metadata: { namespace } }, false);
    return this.request("GET", path, labelSelector ? { query: { labelSelector } } : {});
  }

  /** Deletes an object; Foreground keeps it until its dependents (a Deployment's pods) are gone. */
  async delete(ref: ObjectRef, propagationPolicy: "Foreground" | "Background" = "Background"): Promise<void> {
    await this.request("DELETE", await this.path(ref), {
      body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy },
    });
  }
}

function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}
