import { join } from "node:path";
import type { Engine, Health, StackContext } from "../engine.js";
import type { LaunchSpec } from "../processes.js";
import { onPath } from "../toolchain.js";

/** etcd from Debian's etcd-server package: the Kubernetes API server's store, on loopback only. */
export class EtcdEngine implements Engine {
  readonly name = "etcd";
  readonly startTimeoutMs = 30_000;
  readonly stopSignal = "SIGTERM" as const;
  readonly dependsOn = [];

  constructor(private readonly ctx: StackContext) {}

  get port(): number {
    return this.ctx.settings.kubernetes.etcdPort;
  }

  missingPrerequisites(): string[] {
    return onPath("etcd") ? [] : ["etcd, the Kubernetes API server's store (apt-get install etcd-server)"];
  }

  async prepare(): Promise<void> {
    // etcd initialises its data directory itself.
  }

  launchSpec(): LaunchSpec {
    const client = `http://127.0.0.1:${this.port}`;
    const peer = `http://127.0.0.1:${this.ctx.settings.kubernetes.etcdPeerPort}`;
    return {
      command: onPath("etcd") ?? "etcd",
      args: [
        "--name=livetally",
        `--data-dir=${join(this.ctx.settings.dataDir, "etcd")}`,
        `--listen-client-urls=${client}`,
        `--advertise-client-urls=${client}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=livetally=${peer}`,
        // The API server compacts old revisions every five minutes; a small quota keeps the disk in check.
        "--quota-backend-bytes=1073741824",
        "--log-level=warn",
      ],
      cwd: this.ctx.settings.dataDir,
      logFile: join(this.ctx.settings.logDir, "etcd.log"),
      pidFile: join(this.ctx.settings.stackDir, "run", "etcd.pid"),
    };
  }

  async probe(): Promise<Health> {
    const base = `http://127.0.0.1:${this.port}`;
    try {
      const health = (await (await fetch(`${base}/health`)).json()) as { health?: string };
      if (health.health !== "true") return { healthy: false, detail: `health: ${JSON.stringify(health)}` };
      const version = (await (await fetch(`${base}/version`)).json()) as { etcdserver?: string };
      return { healthy: true, version: version.etcdserver ?? "unknown", detail: `port ${this.port}` };
    } catch (e) {
      return { healthy: false, detail: (e as Error).message };
    }
  }
}
