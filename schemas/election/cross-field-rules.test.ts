import { describe, expect, it } from "vitest";
import { electionSchema } from "../generated/election.js";
import type { CelRule, OpenApiSchema } from "./openapi.js";
import { crossFieldRules } from "./cross-field-rules.js";

/** Every CEL rule of the schema, as `<where> <message>`: `spec.regions[*]` is a rule on each region. */
function celRules(schema: OpenApiSchema, at: string): string[] {
  const here = (schema["x-kubernetes-validations"] ?? []).map((r: CelRule) => `${at} ${r.message}`);
  const below = [
    ...Object.entries(schema.properties ?? {}).flatMap(([name, s]) =>
      celRules(s, at ? `${at}.${name}` : name),
    ),
    ...(schema.items ? celRules(schema.items, `${at}[*]`) : []),
    ...(schema.additionalProperties ? celRules(schema.additionalProperties, `${at}.*`) : []),
  ];
  return [...here, ...below];
}

describe("cross-field rules", () => {
  const inSchema = celRules(electionSchema as OpenApiSchema, "");

  it("are CEL rules of the schema, each with a TypeScript twin of the same place and message", () => {
    expect(crossFieldRules.map((r) => `${r.at} ${r.message}`).sort()).toEqual([...inSchema].sort());
  });
});
