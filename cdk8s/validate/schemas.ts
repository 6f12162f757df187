import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";
import type { K8sObject } from "../app.js";
import { versions } from "../../versions.js";
import { sharedDir } from "./shared.js";
import { electionResource } from "../../schemas/election/resource.js";
import { validateElection } from "../../schemas/election/validate.js";

type Schema = Record<string, unknown>;

export const KUBERNETES_VERSION = versions().KUBERNETES_SCHEMA_VERSION;

/**
 * Closes every object schema that lists its properties and says nothing about others, so a field
 * Kubernetes or an operator does not know is an error rather than silently dropped by the server.
 * Schemas that keep unknown fields on purpose (x-kubernetes-preserve-unknown-fields) stay open.
 */
export function closeSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeSchema);
  if (schema === null || typeof schema !== "object") return schema;
  const s = schema as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    // Property names are data, not schemas: only their values are walked.
    if (k === "properties" || k === "definitions") {
      out[k] = Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, closeSchema(ps)]));
    } else out[k] = closeSchema(v);
  }
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    !s["x-kubernetes-preserve-unknown-fields"]
  ) {
    out.additionalProperties = false;
  }
  return out;
}

const rootFields: Schema = {
  apiVersion: { type: "string" },
  kind: { type: "string" },
  metadata: { type: "object" },
};

export interface SchemaProblem {
  readonly object: string;
  readonly message: string;
}

/** Validates objects against the Kubernetes 1.33 definitions and the CRDs' openAPIV3Schema. */
export class SchemaValidator {
  private readonly ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
    code: { regExp: javaRegExp },
  });
  /** Schemas by apiVersion/kind, compiled on first use: the CRDs are large and most are unused. */
  private readonly byGvk = new Map<string, Schema>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly objectMeta: ValidateFunction;

  constructor(shared = sharedDir()) {
    const raw = JSON.parse(
      readFileSync(join(shared, "kubernetes-schemas", KUBERNETES_VERSION, "_definitions.json"), "utf8"),
    ) as { definitions: Record<string, Schema> };
    this.ajv.addSchema({ $id: "k8s", definitions: closeSchema(raw.definitions) });
    for (const [name, def] of Object.entries(raw.definitions)) {
      const gvks = (def["x-kubernetes-group-version-kind"] ?? []) as {
        group: string;
        version: string;
        kind: string;
      }[];
      for (const g of gvks) {
        const apiVersion = g.group ? `${g.group}/${g.version}` : g.version;
        this.byGvk.set(`${apiVersion}/${g.kind}`, { $ref: `k8s#/definitions/${name}` });
      }
    }
    this.objectMeta = this.ajv.compile({
      $ref: "k8s#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
    });
    for (const file of crdFiles(join(shared, "crds"))) this.addCrds(file);
  }

  private addCrds(file: string): void {
    for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
      const crd = doc.toJSON() as {
        kind?: string;
        spec?: {
          group: string;
          names: { kind: string };
          versions: { name: string; schema?: { openAPIV3Schema: Schema } }[];
        };
      } | null;
      if (crd?.kind !== "CustomResourceDefinition" || !crd.spec) continue;
      for (const v of crd.spec.versions) {
        if (!v.schema) continue;
        const schema = closeSchema(v.schema.openAPIV3Schema) as Schema;
        // Every object may carry apiVersion, kind and metadata, whether its schema lists them or not.
        schema.properties = { ...rootFields, ...(schema.properties as Schema) };
        this.byGvk.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, schema);
      }
    }
  }

  /** The kinds this validator knows, as apiVersion/kind. */
  get kinds(): number {
    return this.byGvk.size;
  }

  private validator(gvk: string): ValidateFunction | undefined {
    const schema = this.byGvk.get(gvk);
    if (!schema) return undefined;
    let fn = this.compiled.get(gvk);
    if (!fn) {
      fn = this.ajv.compile(schema);
      this.compiled.set(gvk, fn);
    }
    return fn;
  }

  validate(objects: readonly K8sObject[]): SchemaProblem[] {
    const problems: SchemaProblem[] = [];
    for (const o of objects) {
      const id = `${o.kind} ${o.metadata?.name ?? "?"}`;
      if (o.apiVersion === electionResource.apiVersion && o.kind === electionResource.kind) {
        // The project's own validator: the CRD's schema and the TypeScript twins of its CEL rules.
        const result = validateElection({ ...o, metadata: { name: o.metadata.name } });
        if (!result.ok) problems.push(...result.problems.map((message) => ({ object: id, message })));
        if (!this.objectMeta(o.metadata))
          problems.push(...describe(`${id} metadata`, this.objectMeta.errors));
        continue;
      }
      const validate = this.validator(`${o.apiVersion}/${o.kind}`);
      if (!validate) {
        problems.push({ object: id, message: `no schema for ${o.apiVersion} ${o.kind}` });
        continue;
      }
      if (!validate(o)) problems.push(...describe(id, validate.errors));
      // A CRD's schema leaves metadata open; it is Kubernetes' ObjectMeta all the same.
      if (!this.objectMeta(o.metadata)) problems.push(...describe(`${id} metadata`, this.objectMeta.errors));
    }
    return problems;
  }
}

function describe(object: string, errors: ErrorObject[] | null | undefined): SchemaProblem[] {
  // oneOf/anyOf failures repeat every branch's complaint; the first few say what is wrong.
  return (errors ?? []).slice(0, 5).map((e) => ({
    object,
    message: `${e.instancePath || "/"} ${e.message ?? "is invalid"}${
      e.keyword === "additionalProperties"
        ? `: ${String((e.params as { additionalProperty: string }).additionalProperty)}`
        : ""
    }`,
  }));
}

/**
 * Strimzi's CRDs carry Java patterns such as `(?i)(abort|warn)?`; JavaScript spells the inline
 * case-insensitive flag as a flag.
 */
function javaRegExp(pattern: string, flags: string): RegExp {
  const caseless = pattern.includes("(?i)");
  return new RegExp(pattern.replaceAll("(?i)", ""), caseless ? `${flags}i` : flags);
}
javaRegExp.code = "new RegExp";

function crdFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? crdFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}
