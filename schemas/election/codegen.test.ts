import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generate, generatedSchemas } from "./codegen.js";

describe("generated election types", () => {
  for (const target of generatedSchemas) {
    it(`${target.root} matches its schema file exactly (run \`make schemas-codegen\` after changing it)`, async () => {
      expect(readFileSync(target.generatedFile, "utf8")).toBe(await generate(target));
    });
  }
});
