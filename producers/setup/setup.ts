import type { Kafka } from "kafkajs";
import type pg from "pg";
import { migrate, type MigrationResult } from "../../schemas/migrate.js";
import { candidateSchema, deadLetterSchema, voteSchema, voterSchema } from "../../schemas/records.js";
import { allTopics, topics, valueSubject, type TopicSpec } from "../../schemas/topics.js";
import type { SchemaRegistryClient } from "../runtime/registry.js";
import { sleep } from "../runtime/waiting.js";

export interface TopicSchema {
  readonly topic: TopicSpec;
  readonly schema: object;
}

/** The value schema of each topic the services produce, by the contract's name. */
export const topicSchemas = {
  candidate: { topic: topics.candidates, schema: candidateSchema },
  voter: { topic: topics.voters, schema: voterSchema },
  vote: { topic: topics.votes, schema: voteSchema },
  deadLetter: { topic: topics.deadLetters, schema: deadLetterSchema },
} as const satisfies Record<string, TopicSchema>;

export type ContractName = keyof typeof topicSchemas;

/** The registry's id of a contract's schema under its topic's subject; undefined if not registered. */
export function schemaId(
  registry: SchemaRegistryClient,
  contract: ContractName,
): Promise<number | undefined> {
  const { topic, schema } = topicSchemas[contract];
  return registry.lookup(valueSubject(topic), schema);
}

export interface TopicsResult {
  readonly created: readonly string[];
  readonly existing: readonly string[];
}

/**
 * Creates every topic of schemas/topics.ts that does not exist, with its partitions and configs.
 * Existing topics are left alone, but one with fewer partitions than declared is an error: keys would
 * land on other partitions than the manifests promise.
 */
export async function createTopics(
  kafka: Kafka,
  specs: readonly TopicSpec[] = allTopics,
): Promise<TopicsResult> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existingNames = new Set(await admin.listTopics());
    const missing = specs.filter((t) => !existingNames.has(t.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    const existing = specs.filter((t) => existingNames.has(t.name));
    if (existing.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: existing.map((t) => t.name) });
      for (const t of existing) {
        const found = metadata.topics.find((m) => m.name === t.name)?.partitions.length ?? 0;
        if (found < t.partitions) {
          throw new Error(
            `topic ${t.name} has ${found} partitions, schemas/topics.ts declares ${t.partitions}`,
          );
        }
      }
    }
    return { created: missing.map((t) => t.name), existing: existing.map((t) => t.name) };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Deletes the topics and creates them again, empty: for benchmarks and tests, which need an election
 * that starts from nothing. Never called by the services.
 */
export async function recreateTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const names = specs.map((t) => t.name).filter((n) => existing.has(n));
    if (names.length > 0) await admin.deleteTopics({ topics: names, timeout: 30_000 });
    // Deletion completes asynchronously: creation is refused until the old topic is gone.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const remaining = new Set(await admin.listTopics());
        if (specs.some((t) => remaining.has(t.name))) throw new Error("topics still being deleted");
        await createTopics(kafka, specs);
        return;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await sleep(500);
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** Sets BACKWARD compatibility on each topic's value subject and registers its schema; idempotent. */
export async function registerSchemas(
  registry: SchemaRegistryClient,
  entries: readonly TopicSchema[] = Object.values(topicSchemas),
): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const { topic, schema } of entries) {
    const subject = valueSubject(topic);
    // Compatibility first, so even the first version is checked under the rule it will live by.
    await registry.setCompatibility(subject, "BACKWARD");
    ids[subject] = await registry.register(subject, schema);
  }
  return ids;
}

export async function applyMigrations(pool: pg.Pool): Promise<MigrationResult> {
  const client = await pool.connect();
  try {
    return await migrate(client);
  } finally {
    client.release();
  }
}
