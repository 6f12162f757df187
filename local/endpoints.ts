import { EnvReader, stackSettings } from "./settings.js";

/**
 * How tests and services reach Kafka, the schema registry, PostgreSQL and Flink. Each can be set
 * outright (as Kubernetes does); otherwise it points at the local stack's defaults.
 */
export interface Endpoints {
  readonly kafkaBrokers: readonly string[];
  readonly registryUrl: string;
  readonly databaseUrl: string;
  readonly flinkRestUrl: string;
}

export function endpoints(env: NodeJS.ProcessEnv = process.env): Endpoints {
  const stack = stackSettings(env);
  const r = new EnvReader(env);
  const pg = stack.postgres;
  const brokers = r
    .string("KAFKA_BOOTSTRAP_SERVERS", `127.0.0.1:${stack.kafka.port}`)
    .split(",")
    .map((b) => b.trim())
    .filter((b) => b !== "");
  const result: Endpoints = {
    kafkaBrokers: brokers,
    registryUrl: r.url("SCHEMA_REGISTRY_URL", `http://127.0.0.1:${stack.registry.port}/apis/ccompat/v7`, [
      "http:",
      "https:",
    ]),
    databaseUrl: r.url(
      "DATABASE_URL",
      `postgresql://${encodeURIComponent(pg.user)}:${encodeURIComponent(pg.password)}@127.0.0.1:${pg.port}/${pg.database}`,
      ["postgresql:", "postgres:"],
    ),
    flinkRestUrl: r.url("FLINK_REST_URL", `http://127.0.0.1:${stack.flink.port}`, ["http:", "https:"]),
  };
  if (brokers.length === 0) {
    throw new Error("KAFKA_BOOTSTRAP_SERVERS: expected host:port[,host:port...]");
  }
  r.done("endpoint");
  return result;
}
