import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { repoRoot } from "../../versions.js";
import type { StackContext } from "../engine.js";
import { seconds } from "../progress.js";
import { ensurePki, pkiPaths, type Pki } from "./pki.js";

/** Where the local control plane keeps its binaries, keys and kubeconfigs. */
export interface ControlPlanePaths {
  /** The built binaries, cached outside the work tree per release. */
  readonly binDir: string;
  readonly apiServer: string;
  readonly controllerManager: string;
  /** The stack's own files for Kubernetes: PKI, kubeconfigs. */
  readonly dir: string;
  readonly pki: Pki;
  /** system:masters, for the stack, the tests and `make validate`. */
  readonly adminKubeconfig: string;
  readonly controllerManagerKubeconfig: string;
  /** The controller's ServiceAccount, bound to exactly the RBAC the chart gives it. */
  readonly controllerKubeconfig: string;
  readonly buildLog: string;
}

export function controlPlanePaths(ctx: StackContext): ControlPlanePaths {
  const binDir = join(ctx.settings.cacheDir, `kubernetes-${ctx.versions.KUBERNETES_VERSION}`);
  const dir = join(ctx.settings.stackDir, "kubernetes");
  return {
    binDir,
    apiServer: join(binDir, "kube-apiserver"),
    controllerManager: join(binDir, "kube-controller-manager"),
    dir,
    pki: pkiPaths(join(dir, "pki")),
    adminKubeconfig: join(dir, "admin.kubeconfig"),
    controllerManagerKubeconfig: join(dir, "controller-manager.kubeconfig"),
    controllerKubeconfig: join(dir, "controller.kubeconfig"),
    buildLog: join(ctx.settings.logDir, "kubernetes-build.log"),
  };
}

export function apiServerUrl(ctx: StackContext): string {
  return `https://127.0.0.1:${ctx.settings.kubernetes.apiServerPort}`;
}

/** The version a binary of the control plane reports (`Kubernetes v1.33.5`), if it runs. */
export function binaryVersion(binary: string): string | undefined {
  if (!existsSync(binary)) return undefined;
  const run = spawnSync(binary, ["--version"], { encoding: "utf8" });
  return run.status === 0 ? /Kubernetes (v\S+)/.exec(run.stdout)?.[1] : undefined;
}

/**
 * Builds kube-apiserver and kube-controller-manager at the pinned release unless the cache holds them
 * (toolchain/go-build-kubernetes.sh; about five minutes on two cores the first time), with a live line.
 */
export async function ensureControlPlaneBinaries(
  ctx: StackContext,
  step: (what: string) => void,
): Promise<void> {
  const paths = controlPlanePaths(ctx);
  const version = ctx.versions.KUBERNETES_VERSION;
  if (binaryVersion(paths.apiServer) === version && binaryVersion(paths.controllerManager) === version)
    return;
  mkdirSync(paths.binDir, { recursive: true });
  mkdirSync(ctx.settings.logDir, { recursive: true });
  const begin = Date.now();
  const what = `building kube-apiserver and kube-controller-manager ${version} from the Go module proxy`;
  step(`${what} (minutes the first time; log ${paths.buildLog})`);
  // A terminal's live line shows the time itself; a CI log gets a line every half minute.
  const tick = setInterval(() => step(`${what}: ${seconds(Date.now() - begin)} so far`), 30_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const log = createWriteStream(paths.buildLog, { flags: "a" });
      const child = spawn(
        join(repoRoot, "toolchain", "go-build-kubernetes.sh"),
        [version, paths.binDir, "kube-apiserver", "kube-controller-manager"],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child.stdout.pipe(log);
      child.stderr.pipe(log);
      child.on("error", reject);
      child.on("close", (code) => {
        log.end();
        if (code === 0) resolve();
        else reject(new Error(`building the control plane failed (exit ${code}); see ${paths.buildLog}`));
      });
    });
  } finally {
    clearInterval(tick);
  }
}

export type KubeconfigUser =
  { readonly clientCertificate: string; readonly clientKey: string } | { readonly token: string };

/** A kubeconfig of one cluster, one user and one context, all named `livetally-local`. */
export function kubeconfig(server: string, caFile: string, user: KubeconfigUser): string {
  const name = "livetally-local";
  const credentials =
    "token" in user
      ? { token: user.token }
      : { "client-certificate": user.clientCertificate, "client-key": user.clientKey };
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority": caFile } }],
    users: [{ name, user: credentials }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
  });
}

/** The PKI and the certificate kubeconfigs: what the control plane's processes start with. */
export function ensureControlPlaneFiles(ctx: StackContext): ControlPlanePaths {
  const paths = controlPlanePaths(ctx);
  const pki = ensurePki(paths.pki.dir);
  const server = apiServerUrl(ctx);
  const write = (file: string, cert: { cert: string; key: string }) =>
    writeFileSync(
      file,
      kubeconfig(server, pki.ca.cert, { clientCertificate: cert.cert, clientKey: cert.key }),
      { mode: 0o600 },
    );
  write(paths.adminKubeconfig, pki.admin);
  write(paths.controllerManagerKubeconfig, pki.controllerManager);
  return paths;
}
