import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { readKafkaConfig, readLogLevel, type KafkaConnection } from "../producers/runtime/config.js";
import { EnvReader } from "../producers/runtime/env.js";
import type { LogLevel } from "../producers/runtime/log.js";

/** Everything the controller reads from its environment, validated once at start-up. */
export interface ControllerConfig {
  /** The namespace whose Elections it runs: the platform's own, where Kafka and PostgreSQL are. */
  readonly namespace: string;
  /** Who holds the Lease while this process leads: the pod's name, or host and pid. */
  readonly identity: string;
  /** A kubeconfig file; in a pod, the ServiceAccount's token is used instead. */
  readonly kubeconfig: string | undefined;
  /** The folder holding the platform's settings elections are built with (values.json, build.json). */
  readonly platformDir: string;
  readonly kafka: KafkaConnection;
  readonly registryUrl: string;
  /** The read-only login (a member of livetally_certifier): status and certification. */
  readonly databaseUrl: string;
  /** The database owner: only to drop a deleted Election's schema. */
  readonly ownerDatabaseUrl: string;
  readonly httpPort: number;
  readonly logLevel: LogLevel;
  readonly lease: {
    readonly name: string;
    /** How long a holder's claim lasts without renewal; a standby takes over after it. */
    readonly durationMs: number;
    /** How long the leader keeps trying to renew before it gives up leading. */
    readonly renewDeadlineMs: number;
    /** How often the leader renews and a standby tries to acquire. */
    readonly retryPeriodMs: number;
  };
  /** How often every Election is reconciled even if nothing was seen to change. */
  readonly resyncMs: number;
  /** How often a running election's status is refreshed from its data. */
  readonly observeIntervalMs: number;
  /**
   * How long, once voting is over, the tallies may stand still short of the ledger (or differ from
   * it) before the election is certified as it stands, and fails.
   */
  readonly certificationPatienceMs: number;
  /** Elections reconciled at once (one Election is never reconciled twice at the same time). */
  readonly workers: number;
}

const seconds = (n: number) => n * 1000;

/**
 * Reads the configuration, every bad or missing value reported at once. The credentials come from
 * files in a pod (NAME_FILE); the local stack passes values.
 */
export function controllerConfig(env: NodeJS.ProcessEnv = process.env): ControllerConfig {
  const r = new EnvReader(env, {
    fromFiles: ["DATABASE_URL", "DATABASE_PASSWORD", "OWNER_DATABASE_URL", "KAFKA_SASL_PASSWORD"],
  });
  const namespace = r.required("WATCH_NAMESPACE", "the namespace of the platform, whose Elections to run");
  if (namespace !== "" && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
    r.problem(`WATCH_NAMESPACE=${namespace}: expected a namespace name (a DNS label)`);
  }
  const kubeconfig = r.string("KUBECONFIG", "");
  if (kubeconfig !== "" && !existsSync(kubeconfig)) r.problem(`KUBECONFIG=${kubeconfig}: no such file`);
  const platformDir = r.required("PLATFORM_DIR", "the folder of the platform's values.json and build.json");
  if (platformDir !== "" && !existsSync(platformDir))
    r.problem(`PLATFORM_DIR=${platformDir}: no such folder`);
  const kafka = readKafkaConfig(r);
  const registryUrl = r.url("SCHEMA_REGISTRY_URL", undefined, ["http:", "https:"]);
  const databaseUrl = withPassword(
    r.url("DATABASE_URL", undefined, ["postgresql:", "postgres:"]),
    r.string("DATABASE_PASSWORD", ""),
  );
  const ownerDatabaseUrl = r.url("OWNER_DATABASE_URL", undefined, ["postgresql:", "postgres:"]);
  const lease = {
    name: r.string("LEASE_NAME", "livetally-controller"),
    durationMs: seconds(r.positiveInt("LEASE_DURATION_SECONDS", 15)),
    renewDeadlineMs: seconds(r.positiveInt("LEASE_RENEW_DEADLINE_SECONDS", 10)),
    retryPeriodMs: seconds(r.positiveInt("LEASE_RETRY_PERIOD_SECONDS", 2)),
  };
  if (lease.renewDeadlineMs >= lease.durationMs) {
    r.problem("LEASE_RENEW_DEADLINE_SECONDS: must be less than LEASE_DURATION_SECONDS");
  }
  if (lease.retryPeriodMs >= lease.renewDeadlineMs) {
    r.problem("LEASE_RETRY_PERIOD_SECONDS: must be less than LEASE_RENEW_DEADLINE_SECONDS");
  }
  const config: ControllerConfig = {
    namespace,
    identity: r.string("POD_NAME", `${hostname()}-${process.pid}`),
    kubeconfig: kubeconfig === "" ? undefined : kubeconfig,
    platformDir,
    kafka,
    registryUrl,
    databaseUrl,
    ownerDatabaseUrl,
    httpPort: r.port("HTTP_PORT", 9464),
    logLevel: readLogLevel(r),
    lease,
    resyncMs: seconds(r.positiveInt("RESYNC_SECONDS", 300)),
    observeIntervalMs: seconds(r.positiveInt("OBSERVE_INTERVAL_SECONDS", 5)),
    certificationPatienceMs: seconds(r.positiveInt("CERTIFICATION_PATIENCE_SECONDS", 120)),
    workers: r.positiveInt("WORKERS", 2),
  };
  r.done("controller");
  return config;
}

/** A URL with its password set, when one is given apart (CloudNativePG keeps a role's in a Secret). */
function withPassword(url: string, password: string): string {
  if (url === "" || password === "") return url;
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
