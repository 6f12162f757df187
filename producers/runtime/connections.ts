import type { Kafka } from "kafkajs";
import pg from "pg";
import type { ServiceConfig } from "./config.js";
import { createKafka } from "./kafka.js";
import type { Logger } from "./log.js";
import { SchemaRegistryClient } from "./registry.js";

/** The three engines a service talks to, opened from its configuration. */
export interface Connections {
  readonly pool: pg.Pool;
  readonly kafka: Kafka;
  readonly registry: SchemaRegistryClient;
}

export function openConnections(
  clientId: string,
  config: ServiceConfig,
  log: Logger,
  poolSize = 4,
): Connections {
  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    max: poolSize,
    application_name: clientId,
    // Every query of the service reads and writes its own election's tables, and no other's.
    options: `-c search_path=${config.names.databaseSchema}`,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", (e) => log.warn("idle PostgreSQL connection failed", { error: e }));
  return {
    pool,
    kafka: createKafka(clientId, config.kafka, log),
    registry: new SchemaRegistryClient(config.registryUrl),
  };
}
