// Imported, so that building a profile reads no file.
import packageJson from "../package.json" with { type: "json" };
import { grafana as grafanaNames } from "./names.js";

/** The project's version: the livetally images are tagged with it, the Helm chart carries it. */
export const projectVersion: string = packageJson.version;

/**
 * The one typed configuration of the platform. Two profiles come from it: `kind` for a laptop and
 * `production`. The Helm chart exposes a subset of these fields as values (see helm/values.ts).
 * Elections are not configuration: each is an Election document the platform is given (app.ts).
 */
export type Profile = "kind" | "production";
export const profiles: readonly Profile[] = ["kind", "production"];

/** A container's resources, exactly as Kubernetes takes them. */
export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string; readonly "ephemeral-storage"?: string };
  readonly limits: { readonly memory: string; readonly cpu?: string; readonly "ephemeral-storage"?: string };
}

/**
 * The resources of a container whose pod livetally defines itself: its writable layer, emptyDirs
 * and logs are bounded too, so one runaway container cannot fill a node's disk.
 */
export interface ContainerResources extends Resources {
  readonly requests: Resources["requests"] & { readonly "ephemeral-storage": string };
  readonly limits: Resources["limits"] & { readonly "ephemeral-storage": string };
}

/** How Kubernetes pulls an image. */
export type PullPolicy = "IfNotPresent" | "Always" | "Never";

export interface FlinkProcess {
  /** Flink's resource spec takes CPU as a number of cores. */
  readonly cpu: number;
  readonly memory: string;
}

export interface PlatformConfig {
  readonly profile: Profile;
  readonly images: {
    /** Where the livetally images are pulled from; kind loads them under this name. */
    readonly registry: string;
    readonly tag: string;
    readonly pullPolicy: PullPolicy;
  };
  readonly kafka: {
    readonly brokers: number;
    /** 0: the brokers are controllers too (one combined KRaft pool, for kind). */
    readonly controllers: number;
    readonly storage: string;
    readonly resources: Resources;
    readonly replication: number;
    readonly minInsyncReplicas: number;
  };
  readonly postgres: {
    readonly instances: number;
    readonly storage: string;
    readonly resources: Resources;
    readonly antiAffinity: "preferred" | "required";
  };
  readonly registry: { readonly replicas: number; readonly resources: ContainerResources };
  readonly flink: {
    readonly parallelism: number;
    readonly slotsPerTaskManager: number;
    readonly jobManager: FlinkProcess;
    readonly taskManager: FlinkProcess;
    readonly checkpointStorage: string;
    /** kind's local-path volumes are node-local; a multi-node cluster needs ReadWriteMany. */
    readonly checkpointAccessMode: "ReadWriteOnce" | "ReadWriteMany";
    readonly checkpointIntervalMs: number;
  };
  readonly voting: { readonly replicas: number; readonly resources: ContainerResources };
  readonly registration: { readonly resources: ContainerResources };
  readonly setup: { readonly resources: ContainerResources };
  /** The Election controller: one replica leads, the others stand by (a Lease decides). */
  readonly controller: { readonly replicas: number; readonly resources: ContainerResources };
  readonly grafana: {
    readonly enabled: boolean;
    /** The Secret holding `admin-user` and `admin-password`. */
    readonly adminSecret: string;
    /** Whether the platform creates that Secret with a random password. */
    readonly createAdminSecret: boolean;
    readonly replicas: number;
    readonly resources: ContainerResources;
    /** NodePort on kind, where the node's port is mapped to the host; ClusterIP behind an ingress. */
    readonly serviceType: "NodePort" | "ClusterIP";
  };
  readonly logLevel: "debug" | "info" | "warn" | "error";
  /** PodDisruptionBudgets for the replicated Deployments. */
  readonly disruptionBudgets: boolean;
}

function resources(cpu: string, memory: string): Resources {
  return { requests: { cpu, memory }, limits: { memory } };
}

/** Memory and scratch space are requested as much as they are capped; CPU is not capped (no throttling). */
function containerResources(cpu: string, memory: string, ephemeral: string): ContainerResources {
  return {
    requests: { cpu, memory, "ephemeral-storage": ephemeral },
    limits: { memory, "ephemeral-storage": ephemeral },
  };
}

export function platformConfig(profile: Profile): PlatformConfig {
  const small = profile === "kind";
  return {
    profile,
    images: {
      registry: small ? "livetally" : "ghcr.io/livetally",
      tag: projectVersion,
      pullPolicy: small ? "IfNotPresent" : "Always",
    },
    kafka: {
      brokers: small ? 1 : 3,
      controllers: small ? 0 : 3,
      storage: small ? "2Gi" : "100Gi",
      resources: small ? resources("250m", "1Gi") : resources("2", "8Gi"),
      replication: small ? 1 : 3,
      minInsyncReplicas: small ? 1 : 2,
    },
    postgres: {
      instances: small ? 1 : 3,
      storage: small ? "1Gi" : "50Gi",
      resources: small ? resources("100m", "256Mi") : resources("1", "4Gi"),
      antiAffinity: small ? "preferred" : "required",
    },
    registry: {
      replicas: small ? 1 : 2,
      // Its only writable path is /tmp.
      resources: small
        ? containerResources("100m", "512Mi", "256Mi")
        : containerResources("500m", "1Gi", "256Mi"),
    },
    flink: {
      parallelism: small ? 1 : 6,
      slotsPerTaskManager: small ? 1 : 2,
      jobManager: small ? { cpu: 0.5, memory: "1024m" } : { cpu: 1, memory: "2048m" },
      taskManager: small ? { cpu: 0.5, memory: "1536m" } : { cpu: 2, memory: "4096m" },
      checkpointStorage: small ? "1Gi" : "20Gi",
      checkpointAccessMode: small ? "ReadWriteOnce" : "ReadWriteMany",
      checkpointIntervalMs: 10_000,
    },
    voting: {
      replicas: small ? 1 : 3,
      resources: small
        ? containerResources("100m", "192Mi", "256Mi")
        : containerResources("500m", "512Mi", "256Mi"),
    },
    registration: {
      resources: small
        ? containerResources("100m", "256Mi", "256Mi")
        : containerResources("500m", "512Mi", "256Mi"),
    },
    setup: { resources: containerResources("50m", "128Mi", "128Mi") },
    controller: {
      replicas: small ? 1 : 2,
      resources: small
        ? containerResources("50m", "256Mi", "128Mi")
        : containerResources("200m", "384Mi", "128Mi"),
    },
    grafana: {
      enabled: true,
      adminSecret: grafanaNames.adminSecret,
      createAdminSecret: true,
      replicas: 1,
      // Grafana's SQLite database and plugins live in an emptyDir.
      resources: small
        ? containerResources("50m", "192Mi", "512Mi")
        : containerResources("250m", "512Mi", "512Mi"),
      serviceType: small ? "NodePort" : "ClusterIP",
    },
    logLevel: "info",
    disruptionBudgets: !small,
  };
}
