import type { Admin, Kafka } from "kafkajs";
import pg from "pg";
import type { ElectionNames } from "../../schemas/election/names.js";
import { valueSubject } from "../../schemas/topics.js";
import { CommandError } from "../runtime/command-error.js";
import type { SchemaRegistryClient } from "../runtime/registry.js";
import { sleep } from "../runtime/waiting.js";

/** An election that cannot be removed yet: one of its services still consumes. */
export class ElectionInUseError extends CommandError {
  override readonly name = "ElectionInUseError";
}

export interface Removal {
  readonly groups: readonly string[];
  readonly topics: readonly string[];
  readonly subjects: readonly string[];
  /** Whether the election's database schema was there to drop. */
  readonly databaseSchema: boolean;
}

/**
 * Removes what one election owns in Kafka, the registry and PostgreSQL (schemas/election/names.ts),
 * and nothing of any other election: its consumer groups first (the broker refuses while a member
 * consumes, so a removal refused leaves everything in place), then its topics, their subjects and its
 * database schema. Its tally job is the caller's to stop first: the job runs where the caller knows.
 */
export async function removeElectionData(
  kafka: Kafka,
  registry: SchemaRegistryClient,
  db: pg.Pool,
  names: ElectionNames,
): Promise<Removal> {
  const admin = kafka.admin();
  await admin.connect();
  let groups: string[];
  let topics: string[];
  try {
    groups = await deleteGroups(admin, names);
    const own = new Set(Object.values(names.topics).map((t) => t.name));
    topics = (await admin.listTopics()).filter((t) => own.has(t));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    await awaitTopicsGone(admin, own);
  } finally {
    await admin.disconnect();
  }
  const subjects: string[] = [];
  for (const topic of Object.values(names.topics)) {
    if (await registry.deleteSubject(valueSubject(topic))) subjects.push(valueSubject(topic));
  }
  const { rows } = await db.query<{ present: boolean }>(
    "SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1) AS present",
    [names.databaseSchema],
  );
  await db.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(names.databaseSchema)} CASCADE`);
  return { groups, topics, subjects, databaseSchema: rows[0]?.present ?? false };
}

async function deleteGroups(admin: Admin, names: ElectionNames): Promise<string[]> {
  const own = new Set([names.votingGroup, names.tallyGroup]);
  const { groups } = await admin.listGroups();
  const present = groups.map((g) => g.groupId).filter((id) => own.has(id));
  if (present.length === 0) return [];
  try {
    await admin.deleteGroups(present);
  } catch (e) {
    const refused = (e as { groups?: readonly { groupId: string; error?: Error }[] }).groups;
    if (refused === undefined || refused.length === 0) throw e;
    const why = refused.map((g) => `${g.groupId}: ${g.error?.message ?? "refused"}`).join("; ");
    throw new ElectionInUseError(
      `cannot remove the election ${names.election} while a service still consumes it (${why}); stop its ` +
        "voting service and tally job and try again",
    );
  }
  return present;
}

/** Topic deletion completes in the background; an election of the same name cannot start before. */
async function awaitTopicsGone(admin: Admin, own: ReadonlySet<string>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await admin.listTopics()).some((t) => own.has(t))) {
    if (Date.now() > deadline) throw new Error("topics still being deleted after 60 s");
    await sleep(250);
  }
}
