/** The OpenAPI v3 subset the Election schema is written in, as its generator, validator and tests read it. */
export interface OpenApiSchema {
  readonly type?: "object" | "array" | "string" | "number" | "integer" | "boolean";
  readonly description?: string;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, OpenApiSchema>>;
  readonly additionalProperties?: OpenApiSchema;
  readonly items?: OpenApiSchema;
  readonly enum?: readonly string[];
  readonly "x-kubernetes-validations"?: readonly CelRule[];
}

export interface CelRule {
  readonly rule: string;
  readonly message: string;
  readonly fieldPath?: string;
}

/**
 * The schema as the API server applies it to a document. A CRD may constrain metadata.name but not
 * require it, since the API server requires a name of every object itself; the types and the validator
 * require it as it does.
 */
export function asApplied(schema: OpenApiSchema): OpenApiSchema {
  const metadata = schema.properties?.metadata;
  if (!metadata) throw new Error("an Election schema without metadata");
  return { ...schema, properties: { ...schema.properties, metadata: { ...metadata, required: ["name"] } } };
}
