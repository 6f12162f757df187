import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generate, generatedFile } from "./codegen.js";

describe("generated election types", () => {
  it("match schemas/election/election.schema.yaml exactly (run `make schemas-codegen` after changing it)", async () => {
    expect(readFileSync(generatedFile, "utf8")).toBe(await generate());
  });
});
