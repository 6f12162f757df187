import { join } from "node:path";
import type { Engine, Health, StackContext } from "../engine.js";
import type { LaunchSpec } from "../processes.js";
import { binaryVersion, controlPlanePaths } from "../kubernetes/control-plane.js";
import { httpsGet } from "../kubernetes/https.js";

/**
 * kube-controller-manager from the same build as the API server: the garbage collector that owner
 * references need, and the Job, Deployment and ServiceAccount controllers. No node ever joins, so the
 * pods it asks for stay Pending; the local stack runs an election's services as processes instead.
 */
export class KubeControllerManagerEngine implements Engine {
  readonly name = "kube-controller-manager";
  readonly startTimeoutMs = 60_000;
  readonly stopSignal = "SIGTERM" as const;
  readonly dependsOn = ["kube-apiserver"];

  constructor(private readonly ctx: StackContext) {}

  get port(): number {
    return this.ctx.settings.kubernetes.controllerManagerPort;
  }

  missingPrerequisites(): string[] {
    return [];
  }

  async prepare(): Promise<void> {
    // kube-apiserver's preparation builds this binary and writes its kubeconfig.
  }

  launchSpec(): LaunchSpec {
    const paths = controlPlanePaths(this.ctx);
    const { pki } = paths;
    const kubeconfig = paths.controllerManagerKubeconfig;
    return {
      command: paths.controllerManager,
      args: [
        `--kubeconfig=${kubeconfig}`,
        `--authentication-kubeconfig=${kubeconfig}`,
        `--authorization-kubeconfig=${kubeconfig}`,
        "--bind-address=127.0.0.1",
        `--secure-port=${this.port}`,
        `--tls-cert-file=${pki.controllerManagerServing.cert}`,
        `--tls-private-key-file=${pki.controllerManagerServing.key}`,
        // One instance: nothing to elect.
        "--leader-elect=false",
        // Each controller acts as its own ServiceAccount, so RBAC sees who did what, as in kubeadm.
        "--use-service-account-credentials=true",
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.ca.cert}`,
        `--cluster-signing-cert-file=${pki.ca.cert}`,
        `--cluster-signing-key-file=${pki.ca.key}`,
        "--profiling=false",
      ],
      cwd: paths.dir,
      logFile: join(this.ctx.settings.logDir, "kube-controller-manager.log"),
      pidFile: join(this.ctx.settings.stackDir, "run", "kube-controller-manager.pid"),
    };
  }

  async probe(): Promise<Health> {
    const { pki, controllerManager } = controlPlanePaths(this.ctx);
    try {
      const health = await httpsGet(`https://127.0.0.1:${this.port}/healthz`, { ca: pki.ca.cert });
      if (health.status !== 200) return { healthy: false, detail: `healthz ${health.status}` };
      return {
        healthy: true,
        version: binaryVersion(controllerManager) ?? "unknown",
        detail: `port ${this.port}`,
      };
    } catch (e) {
      return { healthy: false, detail: (e as Error).message };
    }
  }
}
