import { EnvReader } from "../producers/runtime/env.js";
import { stackSettings } from "./settings.js";

/**
 * How the local stack's tools and tests reach Kafka, the schema registry, PostgreSQL and Flink. Each
 * can be set outright; otherwise it points at the local stack.
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
  const result: Endpoints = {
    kafkaBrokers: r.hostPorts("KAFKA_BOOTSTRAP_SERVERS", `127.0.0.1:${stack.kafka.port}`),
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
  r.done("endpoint");
  return result;
}

/**
 * The environment a service of producers/ runs with on the local stack: the engines' addresses, which
 * the services require (Kubernetes sets them), filled in from the stack unless already set.
 */
export function localServiceEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const e = endpoints(env);
  return {
    ...env,
    KAFKA_BOOTSTRAP_SERVERS: e.kafkaBrokers.join(","),
    SCHEMA_REGISTRY_URL: e.registryUrl,
    DATABASE_URL: e.databaseUrl,
  };
}
