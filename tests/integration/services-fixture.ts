import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { endpoints } from "../../local/endpoints.js";
import { readTopic } from "../../local/topic-reader.js";
import { pollUntil } from "../../producers/runtime/waiting.js";
import { topics, type TopicSpec } from "../../schemas/topics.js";
import { SchemaRegistryClient } from "../../producers/runtime/registry.js";
import { applyMigrations, recreateTopics as recreate, registerSchemas } from "../../producers/setup/setup.js";

/**
 * What the election services' integration tests share: connections to the real stack, and a reset
 * that gives a test file an empty election (tables emptied, topics deleted and recreated) whatever ran
 * before it in the same stack.
 */
export const ep = endpoints();
export const kafka = new Kafka({
  clientId: "services-test",
  brokers: [...ep.kafkaBrokers],
  logLevel: logLevel.NOTHING,
});
export const registry = new SchemaRegistryClient(ep.registryUrl);

export function newPool(): pg.Pool {
  return new pg.Pool({ connectionString: ep.databaseUrl, max: 4 });
}

export const electionTopics: readonly TopicSpec[] = [
  topics.voters,
  topics.candidates,
  topics.votes,
  topics.deadLetters,
];

/** Migrations and schemas as setup leaves them, then an empty election on fresh topics. */
export async function freshElection(pool: pg.Pool): Promise<void> {
  await applyMigrations(pool);
  await registerSchemas(registry);
  await pool.query("TRUNCATE votes, voters, candidates, registration_progress");
  await recreateTopics(electionTopics);
}

export async function recreateTopics(specs: readonly TopicSpec[]): Promise<void> {
  await recreate(kafka, specs);
}

/** Records on a topic (all partitions), valid for topics that were recreated and never compacted. */
export async function recordCount(topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

export interface ReadRecord {
  readonly key: string;
  readonly value: Buffer;
  readonly partition: number;
  readonly offset: number;
}

/** Every record of a topic from the beginning. */
export async function readAll(topic: string): Promise<ReadRecord[]> {
  return (await readTopic(kafka, topic)).map((r) => ({
    key: r.key?.toString() ?? "",
    value: r.value ?? Buffer.alloc(0),
    partition: r.partition,
    offset: Number(r.offset),
  }));
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 90_000,
): Promise<void> {
  await pollUntil(async () => ((await check()) ? true : undefined), { timeoutMs, what });
}
