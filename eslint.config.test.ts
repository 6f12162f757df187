import { randomUUID } from "node:crypto";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./versions.js";

/**
 * What `make lint` says of a file written for a moment where it would live (type-aware rules need the
 * TypeScript project to know it), with the rules of eslint.config.js.
 */
async function lint(folder: string, text: string): Promise<string[]> {
  const file = join(repoRoot, folder, `lint-fixture-${randomUUID()}.ts`);
  if (existsSync(file)) throw new Error(`${file} exists`);
  writeFileSync(file, text);
  try {
    const [result] = await new ESLint({ cwd: repoRoot }).lintFiles([file]);
    return (result?.messages ?? []).map((m) => `${m.ruleId ?? "parse"}: ${m.message}`);
  } finally {
    rmSync(file, { force: true });
  }
}

describe("the lint rules", () => {
  it(
    "refuse an import of the local stack, the demo or the benchmarks from the code that ships",
    { timeout: 60_000 },
    async () => {
      const planted =
        'import { endpoints } from "../../local/endpoints.js";\n\nexport const e = endpoints();\n';
      expect(await lint("producers/runtime", planted)).toEqual([
        "no-restricted-imports: '../../local/endpoints.js' import is restricted from being used by a pattern. code that ships must not import the local stack, the demo, benchmarks, chaos or tests",
      ]);
      expect(
        await lint("cdk8s/lib", 'export { runElection } from "../../local/election/run.js";\n'),
      ).toHaveLength(1);
      expect(await lint("demo", planted)).toEqual([]);
    },
  );

  it("refuse a promise left floating", { timeout: 60_000 }, async () => {
    const floating = "export async function f(): Promise<void> {}\nexport function g(): void {\n  f();\n}\n";
    expect(await lint("producers/runtime", floating)).toEqual([
      expect.stringMatching(/^@typescript-eslint\/no-floating-promises: /),
    ]);
  });
});
