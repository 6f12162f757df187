import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { loadElection, withOverrides, type ElectionOverrides } from "../../local/election/document.js";
import { resetElection } from "../../local/election/reset.js";
import { endpoints } from "../../local/endpoints.js";
import { readTopic } from "../../local/topic-reader.js";
import { electionDefinition, type ElectionDefinition } from "../../producers/election/definition.js";
import { pollUntil } from "../../producers/runtime/waiting.js";
import { electionNames, type ElectionNames } from "../../schemas/election/names.js";
import type { Election } from "../../schemas/generated/election.js";
import type { TopicSpec } from "../../schemas/topics.js";
import { SchemaRegistryClient } from "../../producers/runtime/registry.js";
import { registerElectorate } from "../../producers/registration/register.js";
import { producerConfig } from "../../producers/runtime/producer.js";
import { recreateTopics as recreate, schemaId } from "../../producers/setup/setup.js";

/**
 * What the election services' integration tests share: connections to the real stack, and an election
 * of each test file's own (the default election's candidates and regions under the file's name), reset
 * to nothing whatever ran before it in the same stack.
 */
export const ep = endpoints();
export const kafka = new Kafka({
  clientId: "services-test",
  brokers: [...ep.kafkaBrokers],
  logLevel: logLevel.NOTHING,
});
export const registry = new SchemaRegistryClient(ep.registryUrl);

export interface TestElection {
  readonly document: Election;
  readonly definition: ElectionDefinition;
  readonly names: ElectionNames;
  /** What a service process needs in its environment to run this election. */
  readonly env: { readonly ELECTION_DOCUMENT: string };
}

export function testElection(name: string, overrides: Omit<ElectionOverrides, "name"> = {}): TestElection {
  const document = withOverrides(loadElection(), { ...overrides, name });
  return {
    document,
    definition: electionDefinition(document),
    names: electionNames(name),
    env: { ELECTION_DOCUMENT: JSON.stringify(document) },
  };
}

/** Connections that read and write the election's own tables. */
export function newPool(names: ElectionNames): pg.Pool {
  return new pg.Pool({
    connectionString: ep.databaseUrl,
    max: 4,
    options: `-c search_path=${names.databaseSchema}`,
  });
}

/** The election removed with all it held, then set up anew: topics, schemas, tables, all empty. */
export async function freshElection(election: TestElection): Promise<void> {
  await resetElection(election.names.election);
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

/** The voting service's committed progress forgotten, so that its next run reads every voter again. */
export async function forgetVotingProgress(names: ElectionNames): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    if (groups.some((g) => g.groupId === names.votingGroup)) await admin.deleteGroups([names.votingGroup]);
  } finally {
    await admin.disconnect();
  }
}

/** Registers the first `voters` of the election's electorate drawn with `seed`, as registration does. */
export async function registerTestElectorate(
  pool: pg.Pool,
  election: TestElection,
  seed: number,
  voters: number,
  batchSize = 1_000,
): Promise<void> {
  const { names } = election;
  const producer = kafka.producer(producerConfig);
  await producer.connect();
  try {
    await registerElectorate(
      pool,
      producer,
      {
        candidate: (await schemaId(registry, names, "candidate")) ?? 0,
        voter: (await schemaId(registry, names, "voter")) ?? 0,
      },
      {
        election: election.definition,
        seed,
        voters,
        topics: { voters: names.topics.voters.name, candidates: names.topics.candidates.name },
        batchSize,
      },
    );
  } finally {
    await producer.disconnect();
  }
}
