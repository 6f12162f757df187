import { rmSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel, type Admin } from "kafkajs";
import pg from "pg";
import { markClosed, openElections } from "../elections.js";
import { endpoints } from "../endpoints.js";
import { stackContext } from "../stack.js";
import { cancelTallyJobs } from "../tally-job.js";
import { SchemaRegistryClient } from "../../producers/runtime/registry.js";
import { sleep } from "../../producers/runtime/waiting.js";
import { applyMigrations, createTopics, registerSchemas } from "../../producers/setup/setup.js";
import { allTopics } from "../../schemas/topics.js";

/**
 * Clears the local stack for a new election: no tally job, no open election and no checkpoint of one,
 * every topic and consumer group deleted and the topics created empty, migrations applied and every
 * table emptied, schemas registered. Returns the schema ids by subject.
 */
export async function resetElection(): Promise<Record<string, number>> {
  const ctx = stackContext();
  await cancelTallyJobs();
  for (const election of openElections(ctx.settings)) markClosed(ctx.settings, election.name);
  rmSync(join(ctx.settings.dataDir, "flink", "checkpoints"), { recursive: true, force: true });
  const ep = endpoints();
  const kafka = new Kafka({
    clientId: "election-reset",
    brokers: [...ep.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // A new election starts with no committed offsets: the election's progress is read from them.
    // The groups go first, so a reset refused because a service still consumes leaves the topics be.
    await deleteElectionGroups(admin);
    const names = allTopics.map((t) => t.name);
    const existing = (await admin.listTopics()).filter((t) => names.includes(t));
    if (existing.length > 0) await admin.deleteTopics({ topics: existing, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
  // Deletion completes in the background; creation is refused until it has.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await createTopics(kafka);
      break;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(500);
    }
  }
  const db = new pg.Pool({ connectionString: ep.databaseUrl, max: 1 });
  try {
    await applyMigrations(db);
    const { rows } = await db.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
    );
    await db.query(`TRUNCATE ${rows.map((r) => pg.escapeIdentifier(r.tablename)).join(", ")}`);
  } finally {
    await db.end();
  }
  return registerSchemas(new SchemaRegistryClient(ep.registryUrl));
}

/** The broker refuses to delete a group with members: some service is still consuming for it. */
async function deleteElectionGroups(admin: Admin): Promise<void> {
  const { groups } = await admin.listGroups();
  const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith("livetally-"));
  if (ours.length === 0) return;
  try {
    await admin.deleteGroups(ours);
  } catch (e) {
    const refused = (e as { groups?: readonly { groupId: string; error?: Error }[] }).groups;
    if (refused === undefined || refused.length === 0) throw e;
    const why = refused.map((g) => `${g.groupId}: ${g.error?.message ?? "refused"}`).join("; ");
    throw new Error(
      `cannot reset the election while a service still consumes it (${why}); stop the voting ` +
        "service or demo still running against this stack and try again",
    );
  }
}
