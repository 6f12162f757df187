import type { Kafka } from "kafkajs";
import type pg from "pg";
import { migrate, type MigrationResult } from "../../schemas/migrate.js";
import { candidateSchema, deadLetterSchema, voteSchema, voterSchema } from "../../schemas/records.js";
import type { ElectionNames } from "../../schemas/election/names.js";
import { valueSubject, type TopicSpec } from "../../schemas/topics.js";
import type { SchemaRegistryClient } from "../runtime/registry.js";
import { sleep } from "../runtime/waiting.js";

export interface TopicSchema {
  readonly topic: TopicSpec;
  readonly schema: object;
}

const contracts = {
  candidate: candidateSchema,
  voter: voterSchema,
  vote: voteSchema,
  deadLetter: deadLetterSchema,
};

export type ContractName = keyof typeof contracts;

/** The value schema of each topic of an election the services produce, by the contract's name. */
export function topicSchemas(names: ElectionNames): Record<ContractName, TopicSchema> {
  const { topics } = names;
  return {
    candidate: { topic: topics.candidates, schema: contracts.candidate },
    voter: { topic: topics.voters, schema: contracts.voter },
    vote: { topic: topics.votes, schema: contracts.vote },
    deadLetter: { topic: topics.deadLetters, schema: contracts.deadLetter },
  };
}

/** The registry's id of a contract's schema under its topic's subject; undefined if not registered. */
export function schemaId(
  registry: SchemaRegistryClient,
  names: ElectionNames,
  contract: ContractName,
): Promise<number | undefined> {
  const { topic, schema } = topicSchemas(names)[contract];
  return registry.lookup(valueSubject(topic), schema);
}

export interface TopicsResult {
  readonly created: readonly string[];
  readonly existing: readonly string[];
}

/**
 * Creates every topic given (an election's, schemas/election/names.ts) that does not exist, with its
 * partitions and configs. Existing topics are left alone, but one with fewer partitions than declared is
 * an error: keys would land on other partitions than the manifests promise.
 */
export async function createTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<TopicsResult> {
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
  entries: readonly TopicSchema[],
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

/** Applies the migrations to the election's schema (its connection's search_path is set again on release). */
export async function applyMigrations(pool: pg.Pool, names: ElectionNames): Promise<MigrationResult> {
  const client = await pool.connect();
  try {
    return await migrate(client, names.databaseSchema);
  } finally {
    client.release();
  }
}

export interface Preparation {
  readonly topics: TopicsResult | undefined;
  /** Schema ids by subject. */
  readonly schemaIds: Record<string, number>;
  readonly migrations: MigrationResult;
}

/**
 * Everything an election's services need before they start, for that election alone: its topics
 * (unless Strimzi's KafkaTopics own them), its schemas under BACKWARD compatibility, its database
 * schema migrated. Idempotent.
 */
export async function prepareElection(
  kafka: Kafka,
  registry: SchemaRegistryClient,
  pool: pg.Pool,
  names: ElectionNames,
  options: { readonly topics: boolean } = { topics: true },
): Promise<Preparation> {
  const topics = options.topics ? await createTopics(kafka, Object.values(names.topics)) : undefined;
  const schemaIds = await registerSchemas(registry, Object.values(topicSchemas(names)));
  const migrations = await applyMigrations(pool, names);
  return { topics, schemaIds, migrations };
}
