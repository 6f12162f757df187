import { readFileSync } from "node:fs";
import { Kafka, logLevel as kafkaLogLevel, type KafkaConfig, type LogEntry } from "kafkajs";
import type { TopicSpec } from "../../schemas/topics.js";
import type { KafkaConnection } from "./config.js";
import type { Logger } from "./log.js";

/** A kafkajs client for a service, with SCRAM and TLS when configured and its logs in ours. */
export function createKafka(clientId: string, config: KafkaConnection, log: Logger): Kafka {
  const options: KafkaConfig = {
    clientId,
    brokers: [...config.brokers],
    logLevel: kafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        const fields = { component: "kafkajs", ...rest };
        if (level <= kafkaLogLevel.ERROR) log.error(message, fields);
        else log.warn(message, fields);
      },
  };
  if (config.sslCaFile !== undefined) options.ssl = { ca: [readFileSync(config.sslCaFile, "utf8")] };
  // SCRAM works over either kind of listener: TLS is decided by the CA file alone.
  if (config.sasl !== undefined) options.sasl = { mechanism: "scram-sha-512", ...config.sasl };
  return new Kafka(options);
}

/** The topics a service needs that do not exist, so it can refuse to start with their names. */
export async function missingTopics(kafka: Kafka, needed: readonly TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    return needed.map((t) => t.name).filter((name) => !existing.has(name));
  } finally {
    await admin.disconnect();
  }
}
