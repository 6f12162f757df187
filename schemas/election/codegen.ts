import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import { parse } from "yaml";
import { asApplied, type OpenApiSchema } from "./openapi.js";

/**
 * Generates schemas/generated/election.ts from schemas/election/election.schema.yaml, and
 * schemas/generated/election-status.ts from election-status.schema.yaml: one TypeScript interface per
 * object of the schema and the schema itself as a constant, so nothing reads the YAML at run time and
 * the types can never drift from it (codegen.test.ts regenerates and compares).
 *
 * An object is named after where it sits: the root is `Election`, an object under property `spec` is
 * `ElectionSpec`, the items of list `candidates` are `ElectionCandidate`. Only the keywords the schemas
 * use are supported; anything else fails loudly rather than being silently left out of the types.
 */

/** One schema and what is generated from it. */
export interface Generated {
  readonly schemaFile: string;
  readonly generatedFile: string;
  /** The name of the root interface, and the prefix of every other. */
  readonly root: string;
  /** The constant holding the schema itself. */
  readonly constant: string;
  readonly constantDoc: string;
  /** Applied to the schema before its types are generated. */
  readonly forTypes: (schema: OpenApiSchema) => OpenApiSchema;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export const generatedSchemas: readonly Generated[] = [
  {
    schemaFile: here("./election.schema.yaml"),
    generatedFile: here("../generated/election.ts"),
    root: "Election",
    constant: "electionSchema",
    constantDoc:
      "The schema itself: the Election CRD's openAPIV3Schema, and what schemas/election/validate.ts checks.",
    forTypes: asApplied,
  },
  {
    schemaFile: here("./election-status.schema.yaml"),
    generatedFile: here("../generated/election-status.ts"),
    root: "ElectionStatus",
    constant: "electionStatusSchema",
    constantDoc: "The schema itself: the status of the Election CRD's openAPIV3Schema.",
    forTypes: (schema) => schema,
  },
];

/** Keywords that constrain values but not their TypeScript type. */
const checksOnly = new Set([
  "format",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
  "x-kubernetes-validations",
  // How the API server merges a list of conditions: one entry per type.
  "x-kubernetes-list-type",
  "x-kubernetes-list-map-keys",
]);
const typed = new Set([
  "type",
  "description",
  "required",
  "properties",
  "additionalProperties",
  "items",
  "enum",
]);

function readSchema(file: string): OpenApiSchema {
  return parse(readFileSync(file, "utf8")) as OpenApiSchema;
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The items of a plural list are named in the singular: `candidates` holds `ElectionCandidate`s. */
function singular(name: string): string {
  if (!name.endsWith("s")) throw new Error(`codegen: cannot name the items of list "${name}"`);
  return name.slice(0, -1);
}

class Generator {
  private readonly interfaces: string[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly root: string) {}

  render(schema: OpenApiSchema): string {
    this.tsType(schema, this.root, "(root)");
    return this.interfaces.join("\n\n");
  }

  private tsType(schema: OpenApiSchema, name: string, where: string): string {
    for (const key of Object.keys(schema)) {
      if (!typed.has(key) && !checksOnly.has(key)) {
        throw new Error(`codegen: unsupported keyword ${key} at ${where}`);
      }
    }
    if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
    switch (schema.type) {
      case "string":
        return "string";
      case "number":
      case "integer":
        return "number";
      case "boolean":
        return "boolean";
      case "array": {
        if (!schema.items) throw new Error(`codegen: list without items at ${where}`);
        const item = this.tsType(schema.items, name, `${where}[*]`);
        return `readonly ${item.includes(" ") ? `(${item})` : item}[]`;
      }
      case "object":
        if (schema.properties) return this.interfaceOf(schema, name, where);
        if (schema.additionalProperties) {
          const value = this.tsType(schema.additionalProperties, name, `${where}.*`);
          return `Readonly<Record<string, ${value}>>`;
        }
        throw new Error(`codegen: object without properties or additionalProperties at ${where}`);
      default:
        throw new Error(`codegen: unsupported type ${String(schema.type)} at ${where}`);
    }
  }

  private interfaceOf(schema: OpenApiSchema, name: string, where: string): string {
    if (this.names.has(name)) throw new Error(`codegen: two objects would be named ${name}`);
    this.names.add(name);
    // Reserve this interface's place before its children's: parents read first.
    const at = this.interfaces.push("") - 1;
    const required = new Set(schema.required ?? []);
    const fields = Object.entries(schema.properties ?? {}).map(([field, fieldSchema]) => {
      const child =
        fieldSchema.type === "array"
          ? `${this.root}${pascal(singular(field))}`
          : `${this.root}${pascal(field)}`;
      const type = this.tsType(fieldSchema, child, `${where}.${field}`);
      const optional = required.has(field) ? "" : "?";
      return `${doc(fieldSchema.description, "  ")}  readonly ${field}${optional}: ${type};`;
    });
    this.interfaces[at] = `${doc(schema.description, "")}export interface ${name} {\n${fields.join("\n")}\n}`;
    return name;
  }
}

/** A JSDoc comment, wrapped to the project's line width (prettier leaves comments as they are). */
function doc(text: string | undefined, indent: string): string {
  if (!text) return "";
  const width = 110 - indent.length - " * ".length;
  const lines: string[] = [];
  for (const word of text.replace(/\*\//g, "*\\/").split(/\s+/)) {
    const last = lines.length - 1;
    if (last >= 0 && `${lines[last]} ${word}`.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  if (lines.length === 1 && lines[0]!.length <= width - 3) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} * ${l}\n`).join("")}${indent} */\n`;
}

/** The generated module's text, from the schema file, formatted as committed. */
export async function generate(target: Generated, file: string = target.schemaFile): Promise<string> {
  const schema = readSchema(file);
  const parts = [
    `// Generated by schemas/election/codegen.ts from schemas/election/${basename(target.schemaFile)}. Do not edit:`,
    "// run `make schemas-codegen`.",
    "",
    new Generator(target.root).render(target.forTypes(schema)),
    "",
    `/** ${target.constantDoc} */`,
    `export const ${target.constant} = ${JSON.stringify(schema)} as const;`,
    "",
  ];
  const options = await prettier.resolveConfig(target.generatedFile);
  return prettier.format(parts.join("\n"), { ...options, filepath: target.generatedFile });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const target of generatedSchemas) {
    writeFileSync(target.generatedFile, await generate(target));
    console.log(`codegen: wrote ${target.generatedFile}`);
  }
}
