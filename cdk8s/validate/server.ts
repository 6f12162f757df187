import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { repoRoot, versions } from "../../versions.js";
import type { K8sObject } from "../app.js";

/** The pinned kubectl `make kubectl` builds into ./bin. */
export const kubectlBin = join(repoRoot, "bin", "kubectl");

/** The API server a server-side dry run asks: a kubeconfig, and the version it reports. */
export interface ApiServer {
  readonly kubeconfig: string;
  readonly version: string;
}

export interface DryRun {
  /** Objects the API server would have applied. */
  readonly accepted: number;
  /** What it refused, one line each, in its own words. */
  readonly errors: readonly string[];
}

function kubectl(kubeconfig: string, args: readonly string[]) {
  return spawnSync(kubectlBin, ["--kubeconfig", kubeconfig, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * The API server of the kubeconfig (the local stack's admin kubeconfig from `make validate`), if it
 * answers; a reason otherwise. Never a silent skip: the caller reports the reason as an error.
 */
export function apiServer(kubeconfig: string | undefined): ApiServer | string {
  if (!kubeconfig)
    return "no kubeconfig: set KUBECONFIG (make validate brings up the local API server and sets it)";
  if (!existsSync(kubeconfig)) return `no kubeconfig at ${kubeconfig}`;
  if (!existsSync(kubectlBin)) return `no kubectl at ${kubectlBin}: make kubectl`;
  const run = kubectl(kubeconfig, ["version", "--output=json"]);
  const version = (JSON.parse(run.stdout || "{}") as { serverVersion?: { gitVersion?: string } })
    .serverVersion?.gitVersion;
  if (run.status !== 0 || !version)
    return `the API server does not answer: ${run.stderr.trim().split("\n")[0]}`;
  const minor = (v: string) => v.replace(/^v(\d+\.\d+).*$/, "$1");
  if (minor(version) !== minor(versions().KUBERNETES_SCHEMA_VERSION)) {
    return `the API server is ${version}, not the ${minor(versions().KUBERNETES_SCHEMA_VERSION)} the manifests are for`;
  }
  return { kubeconfig, version };
}

/**
 * `kubectl apply --dry-run=server --server-side` of every object at once: the API server validates
 * each as it would store it (its OpenAPI schema, a CRD's structural schema and CEL rules, admission),
 * and stores nothing. The namespace and the CRDs must be there already (the local stack installs
 * them), as on a cluster the chart is installed into.
 */
export function serverDryRun(server: ApiServer, objects: readonly K8sObject[]): DryRun {
  const dir = mkdtempSync(join(tmpdir(), "livetally-dry-run-"));
  try {
    const file = join(dir, "objects.yaml");
    writeFileSync(file, objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n"));
    const run = kubectl(server.kubeconfig, [
      "apply",
      "--dry-run=server",
      "--server-side",
      "--force-conflicts",
      "--field-manager=livetally-validate",
      "--output=name",
      "--filename",
      file,
    ]);
    const accepted = run.stdout.split("\n").filter((l) => l.trim() !== "").length;
    const errors = run.stderr
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.startsWith("Error") || l.startsWith("error"));
    if (run.status !== 0 && errors.length === 0)
      errors.push(`kubectl exited ${run.status}: ${run.stderr.trim()}`);
    return { accepted, errors };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
