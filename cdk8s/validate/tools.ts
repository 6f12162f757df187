import { execFile, execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot, versions } from "../../versions.js";

/** Where `make kube-score` and `make checkov` install the pinned linters (toolchain.mk). */
export const kubeScoreBin = join(repoRoot, "bin", "kube-score");
export const checkovBin = join(repoRoot, "bin", "checkov-venv", "bin", "checkov");

/** The versions the linters in ./bin report, and the pins they must match. */
function missing(): string[] {
  const v = versions();
  const report = (bin: string, args: string[]) =>
    existsSync(bin) ? spawnSync(bin, args, { encoding: "utf8" }).stdout.trim() : "";
  const out: string[] = [];
  if (!report(kubeScoreBin, ["version"]).includes(`version: ${v.KUBE_SCORE_VERSION},`))
    out.push("kube-score");
  if (report(checkovBin, ["--version"]) !== v.CHECKOV_VERSION) out.push("checkov");
  return out;
}

function failure(targets: string[], e: unknown): Error {
  return new Error(
    `could not install ${targets.join(" and ")} (make ${targets.join(" ")}): ${(e as Error).message}`,
  );
}

/**
 * The pinned linters, installed through `make kube-score checkov` (the Go module proxy and PyPI)
 * when they are missing or another version; a failure to install says why, it never skips.
 */
export function ensureLinters(): void {
  const targets = missing();
  if (targets.length === 0) return;
  console.error(`${targets.join(" and ")} not in ./bin at the pinned version; installing them`);
  try {
    execFileSync("make", ["--no-print-directory", ...targets], {
      cwd: repoRoot,
      stdio: ["ignore", "inherit", "inherit"],
    });
  } catch (e) {
    throw failure(targets, e);
  }
}

/** The same without blocking the event loop: a first install takes minutes, longer than a test worker may stay silent. */
export async function ensureLintersAsync(): Promise<void> {
  const targets = missing();
  if (targets.length === 0) return;
  try {
    await promisify(execFile)("make", ["--no-print-directory", ...targets], { cwd: repoRoot });
  } catch (e) {
    throw failure(targets, e);
  }
}
