import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { repoRoot, versions } from "../../versions.js";
import type { K8sObject } from "../app.js";
import { chartDir } from "./chart.js";

export const helmBin = join(repoRoot, "bin", "helm");

/** The Kubernetes version templates render for: the one whose schema validates them. */
const KUBE_VERSION = "1.33.0";

/**
 * The pinned helm in ./bin, built through `make helm` (the Go module proxy) when it is missing or
 * another version; a failure to build says why, it never skips.
 */
export function ensureHelm(): string {
  const wanted = versions().HELM_VERSION;
  const current = existsSync(helmBin) ? run(helmBin, ["version", "--short"]).trim() : "";
  if (!current.startsWith(wanted)) {
    console.error(`helm ${wanted} is not in ./bin (found: ${current || "none"}); building it with make helm`);
    try {
      execFileSync("make", ["--no-print-directory", "helm"], {
        cwd: repoRoot,
        stdio: ["ignore", "inherit", "inherit"],
      });
    } catch (e) {
      throw new Error(`could not build helm ${wanted} into ./bin (make helm): ${(e as Error).message}`);
    }
  }
  return helmBin;
}

/**
 * Builds the pinned helm when it is missing, without blocking the event loop: a first build takes
 * minutes, longer than a test worker may stay silent.
 */
export async function ensureHelmAsync(): Promise<string> {
  const wanted = versions().HELM_VERSION;
  const current = existsSync(helmBin) ? run(helmBin, ["version", "--short"]).trim() : "";
  if (!current.startsWith(wanted)) {
    try {
      await promisify(execFile)("make", ["--no-print-directory", "helm"], { cwd: repoRoot });
    } catch (e) {
      throw new Error(`could not build helm ${wanted} into ./bin (make helm): ${(e as Error).message}`);
    }
  }
  return ensureHelm();
}

function run(bin: string, args: string[]): string {
  return execFileSync(bin, args, { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export function helmLint(valuesFiles: readonly string[] = []): string {
  return run(ensureHelm(), ["lint", chartDir, "--strict", ...valuesFiles.flatMap((f) => ["-f", f])]);
}

/** Renders the chart as `helm install -n livetally` would, and parses the objects. */
export function helmTemplate(
  valuesFiles: readonly string[] = [],
  set: readonly string[] = [],
  withPrometheusOperator = true,
): K8sObject[] {
  const out = run(ensureHelm(), [
    "template",
    "livetally",
    chartDir,
    "--namespace",
    "livetally",
    "--kube-version",
    KUBE_VERSION,
    // As on a cluster with the Prometheus Operator (kube-prometheus-stack in `make kind-up`).
    ...(withPrometheusOperator ? ["--api-versions", "monitoring.coreos.com/v1/PodMonitor"] : []),
    ...valuesFiles.flatMap((f) => ["-f", f]),
    ...set.flatMap((s) => ["--set", s]),
  ]);
  return parseAllDocuments(out)
    .map((d) => d.toJSON() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

export const productionValues = join(chartDir, "values-production.yaml");
