import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../versions.js";

describe("cdk8s/imports", () => {
  it("is what `make cdk8s-import` generates from the CRDs (offline)", async () => {
    const out = mkdtempSync(join(tmpdir(), "cdk8s-imports-"));
    // Asynchronously: a long synchronous call would starve the test worker's heartbeat. Never let
    // make reinstall the dependencies the test runs on (--old-file=node_modules).
    await promisify(execFile)(
      "make",
      ["--no-print-directory", "--old-file=node_modules", "cdk8s-import", `CDK8S_IMPORTS=${out}`],
      {
        cwd: repoRoot,
      },
    );
    const committed = join(repoRoot, "cdk8s", "imports");
    const files = readdirSync(committed).sort();
    expect(readdirSync(out).sort()).toEqual(files);
    for (const f of files) {
      expect(readFileSync(join(out, f), "utf8") === readFileSync(join(committed, f), "utf8"), f).toBe(true);
    }
  }, 180_000);
});
