import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Finding } from "./findings.js";
import { checkovBin } from "./tools.js";

export interface CheckovReport {
  readonly passed: number;
  readonly failed: readonly Finding[];
}

interface CheckovCheck {
  readonly check_id: string;
  readonly check_name: string;
  /** kind.namespace.name */
  readonly resource: string;
}

interface CheckovJson {
  readonly results?: { readonly failed_checks: readonly CheckovCheck[] };
  readonly summary: { readonly passed: number; readonly failed: number; readonly parsing_errors: number };
}

/**
 * Runs Checkov's Kubernetes checks over one rendering, offline (--skip-download: no check updates,
 * no platform). Its own exit code says only whether something failed, so the JSON decides.
 */
export function runCheckov(yaml: string): CheckovReport {
  const dir = mkdtempSync(join(tmpdir(), "livetally-checkov-"));
  try {
    writeFileSync(join(dir, "rendering.yaml"), yaml);
    const args = ["-f", "rendering.yaml", "--framework", "kubernetes", "--skip-download", "--compact"];
    // The scratch folder is the working directory, so no .checkov.yaml of the checkout applies.
    const run = spawnSync(checkovBin, [...args, "-o", "json", "--soft-fail"], {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`checkov exited ${run.status}: ${run.stderr.trim()}`);
    return parseCheckov(run.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function parseCheckov(stdout: string): CheckovReport {
  const json = JSON.parse(stdout) as CheckovJson;
  if (!json.results || json.summary.parsing_errors > 0)
    throw new Error(`checkov could not read the rendering: ${JSON.stringify(json.summary)}`);
  return {
    passed: json.summary.passed,
    failed: json.results.failed_checks.map((c) => {
      const [kind = "", , ...name] = c.resource.split(".");
      return {
        linter: "checkov",
        check: c.check_id,
        kind,
        name: name.join("."),
        grade: "failed",
        message: c.check_name,
      };
    }),
  };
}
