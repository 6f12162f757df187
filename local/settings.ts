import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { EnvReader } from "../producers/runtime/env.js";
import { repoRoot } from "../versions.js";

/** Where the local stack listens, keeps its data and logs, and caches its downloads. */
export interface StackSettings {
  readonly stackDir: string;
  readonly dataDir: string;
  readonly logDir: string;
  readonly cacheDir: string;
  readonly mavenRepo: string | undefined;
  readonly kafka: { readonly port: number; readonly controllerPort: number; readonly heap: string };
  readonly registry: {
    readonly port: number;
    readonly managementPort: number;
    readonly heap: string;
    readonly java: string | undefined;
  };
  readonly postgres: {
    readonly port: number;
    readonly user: string;
    readonly password: string;
    readonly database: string;
    readonly registryDatabase: string;
  };
  readonly flink: { readonly port: number; readonly slots: number; readonly heap: string };
  /** A Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager), off unless asked for. */
  readonly kubernetes: {
    readonly enabled: boolean;
    readonly etcdPort: number;
    readonly etcdPeerPort: number;
    readonly apiServerPort: number;
    readonly controllerManagerPort: number;
  };
}

export function stackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const r = new EnvReader(env);
  const stackDir = resolve(r.string("LIVETALLY_STACK_DIR", join(repoRoot, ".stack")));
  const settings: StackSettings = {
    stackDir,
    dataDir: resolve(r.string("LIVETALLY_DATA_DIR", join(stackDir, "data"))),
    logDir: resolve(r.string("LIVETALLY_LOG_DIR", join(stackDir, "logs"))),
    cacheDir: resolve(r.string("LIVETALLY_CACHE_DIR", join(homedir(), ".cache", "livetally"))),
    mavenRepo: env.LIVETALLY_MAVEN_REPO || undefined,
    kafka: {
      port: r.port("LIVETALLY_KAFKA_PORT", 29092),
      controllerPort: r.port("LIVETALLY_KAFKA_CONTROLLER_PORT", 29093),
      heap: r.heap("LIVETALLY_KAFKA_HEAP", "512m"),
    },
    registry: {
      port: r.port("LIVETALLY_REGISTRY_PORT", 28080),
      managementPort: r.port("LIVETALLY_REGISTRY_MANAGEMENT_PORT", 29000),
      heap: r.heap("LIVETALLY_REGISTRY_HEAP", "384m"),
      java: env.LIVETALLY_REGISTRY_JAVA || undefined,
    },
    postgres: {
      port: r.port("LIVETALLY_PG_PORT", 25432),
      user: r.string("LIVETALLY_PG_USER", "livetally"),
      password: r.string("LIVETALLY_PG_PASSWORD", "livetally"),
      database: r.string("LIVETALLY_PG_DATABASE", "livetally"),
      registryDatabase: r.string("LIVETALLY_PG_REGISTRY_DATABASE", "registry"),
    },
    flink: {
      port: r.port("LIVETALLY_FLINK_PORT", 28081),
      slots: r.positiveInt("LIVETALLY_FLINK_SLOTS", 4),
      heap: r.heap("LIVETALLY_FLINK_HEAP", "1g"),
    },
    kubernetes: {
      enabled: r.flag("LIVETALLY_KUBERNETES", false),
      etcdPort: r.port("LIVETALLY_ETCD_PORT", 22379),
      etcdPeerPort: r.port("LIVETALLY_ETCD_PEER_PORT", 22380),
      apiServerPort: r.port("LIVETALLY_KUBE_APISERVER_PORT", 26443),
      controllerManagerPort: r.port("LIVETALLY_KUBE_CONTROLLER_MANAGER_PORT", 27257),
    },
  };
  r.done("local stack");
  return settings;
}
