import { Ajv, type ErrorObject } from "ajv";
import formats from "ajv-formats";
import { electionSchema, type Election } from "../generated/election.js";
import { crossFieldRules, type CrossFieldRule } from "./cross-field-rules.js";
import { fieldPath, isWithin, shownPath } from "./field-path.js";
import { asApplied, type OpenApiSchema } from "./openapi.js";

/**
 * Checks an Election document as the API server will: the schema's structure (types, required fields,
 * bounds, patterns, formats) and then the TypeScript twins of its CEL rules, reporting every problem at
 * once, one line each, `<path>: <what is wrong>`.
 */

export type ElectionResult =
  | { readonly ok: true; readonly election: Election }
  | { readonly ok: false; readonly problems: readonly string[] };

type Schema = Record<string, unknown>;

/**
 * The schema as ajv reads it. OpenAPI v3.0 writes an exclusive bound as a flag beside the bound, JSON
 * Schema as the bound itself. Objects are closed, because `kubectl apply` refuses unknown fields too;
 * metadata stays open: Kubernetes owns its labels, annotations, namespace...
 */
function forAjv(schema: unknown, at: string): unknown {
  if (Array.isArray(schema)) return schema.map((s: unknown) => forAjv(s, at));
  if (schema === null || typeof schema !== "object") return schema;
  const s = schema as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(s)) {
    if (key === "properties") {
      out[key] = Object.fromEntries(
        Object.entries(value as Schema).map(([name, child]) => [name, forAjv(child, fieldPath(at, name))]),
      );
    } else if (key === "exclusiveMinimum" || key === "exclusiveMaximum") {
      if (value === true) out[key] = s[key === "exclusiveMinimum" ? "minimum" : "maximum"];
    } else if (key === "x-kubernetes-validations") {
      // The twins check these after the structure; ajv must not treat them as anything.
    } else out[key] = forAjv(value, at);
  }
  if (out.exclusiveMinimum !== undefined) delete out.minimum;
  if (out.exclusiveMaximum !== undefined) delete out.maximum;
  if (out.properties && at !== "metadata") out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: true });
// ajv-formats is CommonJS with its plugin as `default`, which NodeNext's types only reach this way.
formats.default(ajv, ["date", "date-time"]);
const structure = ajv.compile<Election>(forAjv(asApplied(electionSchema as OpenApiSchema), "") as Schema);

const typeNames: Record<string, string> = {
  object: "an object",
  array: "a list",
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "true or false",
};

const formatNames: Record<string, string> = {
  date: "a date, YYYY-MM-DD",
  "date-time": "an RFC 3339 date-time with a time zone, e.g. 2026-11-03T07:00:00-05:00",
};

/** What the schema's patterns mean, for people; a pattern not listed is shown as it is. */
const patternNames: Record<string, string> = {
  "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$":
    "a DNS label: lower-case letters, digits and hyphens, starting and ending with a letter or digit",
  "^[A-Z]{2}$": "two capital letters",
  "^https?://[^\\s]+$": "an http or https URL",
};

const comparisons: Record<string, string> = {
  ">": "greater than",
  ">=": "at least",
  "<": "less than",
  "<=": "at most",
};

/** The path of a JSON pointer in this document: a number is an index only where the value is a list. */
function pathOf(document: unknown, pointer: string): string {
  let path = "";
  let value = document;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(value)) {
      path = fieldPath(path, Number(key));
      value = value[Number(key)] as unknown;
    } else {
      path = fieldPath(path, key);
      value = (value as Schema | undefined)?.[key];
    }
  }
  return path;
}

interface StructuralProblem {
  readonly path: string;
  readonly text: string;
  /** A wrong type or a missing field: the rules that read it cannot be checked. */
  readonly blocks: boolean;
}

function describe(document: unknown, e: ErrorObject): StructuralProblem {
  const at = pathOf(document, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { path: fieldPath(at, p.missingProperty as string), text: "is required", blocks: true };
    case "additionalProperties":
      return { path: fieldPath(at, p.additionalProperty as string), text: "unknown field", blocks: false };
    case "type":
      return { path: at, text: `must be ${typeNames[p.type as string] ?? String(p.type)}`, blocks: true };
    case "enum":
      return { path: at, text: `must be ${(p.allowedValues as unknown[]).join(" or ")}`, blocks: false };
    case "format": {
      const format = p.format as string;
      return { path: at, text: `must be ${formatNames[format] ?? format}`, blocks: false };
    }
    case "pattern": {
      const pattern = p.pattern as string;
      return { path: at, text: `must be ${patternNames[pattern] ?? `a match of ${pattern}`}`, blocks: false };
    }
    case "minLength":
      return {
        path: at,
        text: p.limit === 1 ? "must not be empty" : `must be at least ${String(p.limit)} characters`,
        blocks: false,
      };
    case "maxLength":
      return { path: at, text: `must be at most ${String(p.limit)} characters`, blocks: false };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return {
        path: at,
        text: `must be ${comparisons[p.comparison as string] ?? String(p.comparison)} ${String(p.limit)}`,
        blocks: false,
      };
    case "minItems":
      return { path: at, text: `must have at least ${String(p.limit)} items`, blocks: false };
    case "maxItems":
      return { path: at, text: `must have at most ${String(p.limit)} items`, blocks: false };
    case "maxProperties":
      return { path: at, text: `must have at most ${String(p.limit)} entries`, blocks: false };
    default:
      return { path: at, text: e.message ?? e.keyword, blocks: false };
  }
}

/** The objects a rule applies to in this document, by path: `spec.regions[*]` is every region there is. */
function instancesAt(document: unknown, at: string): { value: unknown; path: string }[] {
  let found = [{ value: document, path: "" }];
  for (const step of at.split(".")) {
    const each = step.endsWith("[*]");
    const field = each ? step.slice(0, -3) : step;
    found = found.flatMap(({ value, path }) => {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
      const child = (value as Schema)[field];
      const childPath = fieldPath(path, field);
      if (!each) return child === undefined ? [] : [{ value: child, path: childPath }];
      return Array.isArray(child)
        ? child.map((v: unknown, i) => ({ value: v, path: fieldPath(childPath, i) }))
        : [];
    });
  }
  return found;
}

function ruleProblems(document: unknown, rule: CrossFieldRule, blocked: readonly string[]): string[] {
  return instancesAt(document, rule.at).flatMap(({ value, path }) => {
    const read = rule.reads?.map((field) => fieldPath(path, field)) ?? [path];
    if (blocked.some((b) => read.some((r) => isWithin(b, r)))) return [];
    return rule
      .check(value as never, path)
      .map((b) => `${shownPath(b.path)}: ${rule.message}${b.detail ? ` (${b.detail})` : ""}`);
  });
}

/** Every problem of a document, one line each; empty when it is a sound Election. */
export function electionProblems(document: unknown): string[] {
  const structural = structure(document) ? [] : (structure.errors ?? []).map((e) => describe(document, e));
  const blocked = structural.filter((p) => p.blocks).map((p) => p.path);
  return [
    ...structural.map((p) => `${shownPath(p.path)}: ${p.text}`),
    ...crossFieldRules.flatMap((rule) => ruleProblems(document, rule, blocked)),
  ];
}

/** The document as an Election if it is a sound one; every problem otherwise. */
export function validateElection(document: unknown): ElectionResult {
  const problems = electionProblems(document);
  return problems.length === 0 ? { ok: true, election: document as Election } : { ok: false, problems };
}
