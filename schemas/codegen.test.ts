import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generate, generatedFile } from "./codegen.js";

describe("generated record types", () => {
  it("match schemas/avro/*.avsc exactly (run `make schemas-codegen` after changing a schema)", async () => {
    expect(readFileSync(generatedFile, "utf8")).toBe(await generate());
  });
});
