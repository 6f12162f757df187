import { join } from "node:path";
import type { Engine, Health, StackContext } from "../engine.js";
import type { LaunchSpec } from "../processes.js";
import { onPath } from "../toolchain.js";
import { bootstrapCluster } from "../kubernetes/bootstrap.js";
import {
  apiServerUrl,
  binaryVersion,
  controlPlanePaths,
  ensureControlPlaneBinaries,
  ensureControlPlaneFiles,
} from "../kubernetes/control-plane.js";
import { httpsGet } from "../kubernetes/https.js";

/** The first address of the Service range, which the API server's certificate names too (pki.ts). */
const SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/16";

/**
 * kube-apiserver built from k8s.io/kubernetes at KUBERNETES_VERSION, with TLS, RBAC and a
 * service-account issuer, on loopback over the stack's etcd.
 */
export class KubeApiServerEngine implements Engine {
  readonly name = "kube-apiserver";
  readonly startTimeoutMs = 90_000;
  readonly stopSignal = "SIGTERM" as const;
  readonly dependsOn = ["etcd"];

  constructor(private readonly ctx: StackContext) {}

  get port(): number {
    return this.ctx.settings.kubernetes.apiServerPort;
  }

  missingPrerequisites(): string[] {
    const missing: string[] = [];
    if (!onPath("go")) missing.push("go, to build the Kubernetes control plane from the Go module proxy");
    if (!onPath("openssl"))
      missing.push("openssl, for the control plane's certificates (apt-get install openssl)");
    return missing;
  }

  async prepare(step: (what: string) => void): Promise<void> {
    await ensureControlPlaneBinaries(this.ctx, step);
    ensureControlPlaneFiles(this.ctx);
  }

  launchSpec(): LaunchSpec {
    const paths = controlPlanePaths(this.ctx);
    const { pki } = paths;
    return {
      command: paths.apiServer,
      args: [
        `--etcd-servers=http://127.0.0.1:${this.ctx.settings.kubernetes.etcdPort}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        `--secure-port=${this.port}`,
        `--tls-cert-file=${pki.apiServer.cert}`,
        `--tls-private-key-file=${pki.apiServer.key}`,
        `--client-ca-file=${pki.ca.cert}`,
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        `--service-account-key-file=${pki.serviceAccountPublicKey}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
        // On loopback the default reconciler would publish 127.0.0.1 as the kubernetes Service's endpoint.
        "--endpoint-reconciler-type=none",
        `--requestheader-client-ca-file=${pki.frontProxyCa.cert}`,
        "--requestheader-allowed-names=front-proxy-client",
        "--requestheader-username-headers=X-Remote-User",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        `--proxy-client-cert-file=${pki.frontProxyClient.cert}`,
        `--proxy-client-key-file=${pki.frontProxyClient.key}`,
        `--cert-dir=${join(paths.dir, "apiserver-certs")}`,
        "--profiling=false",
      ],
      cwd: paths.dir,
      logFile: join(this.ctx.settings.logDir, "kube-apiserver.log"),
      pidFile: join(this.ctx.settings.stackDir, "run", "kube-apiserver.pid"),
    };
  }

  async probe(): Promise<Health> {
    const { pki } = controlPlanePaths(this.ctx);
    const tls = { ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key };
    try {
      const ready = await httpsGet(`${apiServerUrl(this.ctx)}/readyz`, tls);
      if (ready.status !== 200) return { healthy: false, detail: `readyz ${ready.status}` };
      const version = JSON.parse((await httpsGet(`${apiServerUrl(this.ctx)}/version`, tls)).body) as {
        gitVersion?: string;
      };
      return { healthy: true, version: version.gitVersion ?? "unknown", detail: `port ${this.port}` };
    } catch (e) {
      return { healthy: false, detail: (e as Error).message };
    }
  }

  async refresh(say: (what: string) => void): Promise<void> {
    await bootstrapCluster(this.ctx, say);
  }

  outdated(): string | undefined {
    const built = binaryVersion(controlPlanePaths(this.ctx).apiServer);
    const pinned = this.ctx.versions.KUBERNETES_VERSION;
    return built === pinned ? undefined : `kube-apiserver ${built ?? "missing"} is not ${pinned}`;
  }
}
