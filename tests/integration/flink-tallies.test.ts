import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { certify } from "../../flink-sql/certification.js";
import {
  awaitRunning,
  cancelJob,
  latestCheckpoint,
  restoredFrom,
  submitTallyJob,
} from "../../local/tally-job.js";
import { stackContext } from "../../local/stack.js";
import { jobJdbcSinks, postgresTypesFor } from "../../flink-sql/sinks.js";
import { endpoints } from "../../local/endpoints.js";
import { readTopic } from "../../local/topic-reader.js";
import { sleep } from "../../producers/runtime/waiting.js";
import { SchemaRegistryClient } from "../../producers/runtime/registry.js";
import { electionNames } from "../../schemas/election/names.js";
import { unframe } from "../../schemas/wire.js";
import avro from "avsc";
import {
  deliveryOrder,
  freshStage,
  knownElection,
  produceVotes,
  publishRegister,
  recordVotes,
  type ElectionStage,
} from "./support/election-fixture.js";

/** Polls certification until the streamed tallies match the ledger, or the time is up. */
async function settle(db: pg.Pool, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = await certify(db);
  while (!last.match && Date.now() < deadline) {
    await sleep(500);
    last = await certify(db);
  }
  return last;
}

/** The latest value per key of a compacted result topic, decoded with the schema Flink registered. */
async function latestPerKey(
  stage: ElectionStage,
  topic: string,
): Promise<Map<string, Record<string, unknown>>> {
  const registry = new SchemaRegistryClient(endpoints().registryUrl);
  const latest = new Map<string, Record<string, unknown>>();
  for (const record of await readTopic(stage.kafka, topic)) {
    const key = record.key?.toString() ?? "";
    const framed = unframe(record.value);
    if (!framed.ok) {
      latest.delete(key);
      continue;
    }
    const schema = await registry.schemaById(framed.schemaId);
    const type = avro.Type.forSchema(JSON.parse(schema ?? "null") as avro.Schema);
    latest.set(key, type.fromBuffer(framed.body) as Record<string, unknown>);
  }
  return latest;
}

const ELECTION = "flink-test";
const { topics } = electionNames(ELECTION);

describe("the Flink SQL tally job", () => {
  let stage: ElectionStage | undefined;
  let jobId: string | undefined;

  afterAll(async () => {
    if (jobId) await cancelJob(jobId).catch(() => undefined);
    await stage?.close();
  });

  it("parses every script and writes only columns the PostgreSQL migrations define", async () => {
    expect(await submitTallyJob(stackContext(), { election: ELECTION, validateOnly: true })).toBe("valid:10");
    const names = electionNames(ELECTION);
    const db = new pg.Client({
      connectionString: endpoints().databaseUrl,
      options: `-c search_path=${names.databaseSchema}`,
    });
    await db.connect();
    try {
      const { applyMigrations } = await import("../../producers/setup/setup.js");
      const pool = new pg.Pool({ connectionString: endpoints().databaseUrl, max: 1 });
      await applyMigrations(pool, names);
      await pool.end();
      for (const sink of jobJdbcSinks()) {
        const { rows } = await db.query<{ column_name: string; data_type: string }>(
          `SELECT column_name, data_type FROM information_schema.columns
           WHERE table_schema = $2 AND table_name = $1 ORDER BY ordinal_position`,
          [sink.table, names.databaseSchema],
        );
        expect(
          rows.map((r) => r.column_name),
          sink.table,
        ).toEqual(sink.columns.map((c) => c.name));
        for (const column of sink.columns) {
          const pgType = rows.find((r) => r.column_name === column.name)?.data_type ?? "";
          expect(postgresTypesFor(column.type), `${sink.table}.${column.name}`).toContain(pgType);
        }
        const { rows: key } = await db.query<{ column: string }>(
          `SELECT a.attname AS column FROM pg_index i
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
           WHERE i.indrelid = $1::regclass AND i.indisprimary`,
          [sink.table],
        );
        expect(key.map((k) => k.column).sort(), `${sink.table} primary key`).toEqual(
          [...sink.primaryKey].sort(),
        );
      }
    } finally {
      await db.end();
    }
  });

  it("tallies exactly what the ledger holds, despite duplicate and late deliveries", async () => {
    stage = await freshStage(ELECTION);
    const castFrom = Math.floor(Date.now() / 60_000) * 60_000 - 600_000;
    const election = knownElection(3000, 7, castFrom);
    await publishRegister(stage, election);
    await recordVotes(stage, election.votes);
    jobId = await submitTallyJob(stackContext(), { election: ELECTION });
    await awaitRunning(jobId);
    const delivered = deliveryOrder(election.votes, 11);
    expect(delivered.length).toBeGreaterThan(election.votes.length);
    await produceVotes(stage, delivered);

    const verdict = await settle(stage.db, 90_000);
    expect(verdict.tables).toEqual(verdict.tables.map((t) => ({ table: t.table, missing: 0, extra: 0 })));
    expect(verdict).toMatchObject({
      match: true,
      votes: election.votes.length,
      tallied: election.votes.length,
    });

    const perCandidate = await latestPerKey(stage, topics.votesPerCandidate.name);
    const expected = new Map<string, number>();
    for (const v of election.votes) expected.set(v.candidate_id, (expected.get(v.candidate_id) ?? 0) + 1);
    expect(new Map([...perCandidate].map(([k, v]) => [k, Number(v.votes)]))).toEqual(expected);

    const turnout = await latestPerKey(stage, topics.turnoutByLocation.name);
    const registered = new Map<string, number>();
    for (const v of election.voters)
      registered.set(v.address.state, (registered.get(v.address.state) ?? 0) + 1);
    expect(new Map([...turnout].map(([k, v]) => [k, Number(v.registered)]))).toEqual(registered);

    await cancelJob(jobId);
    jobId = undefined;
  }, 240_000);

  it("resumes from its last checkpoint while votes keep arriving, counting each vote once", async () => {
    await stage?.close();
    stage = await freshStage(ELECTION);
    const active = stage;
    const castFrom = Math.floor(Date.now() / 60_000) * 60_000 - 300_000;
    const election = knownElection(4000, 13, castFrom);
    await publishRegister(active, election);
    // Checkpoints every 2 s, so that several fall within the votes' arrival.
    const firstJob = await submitTallyJob(stackContext(), {
      election: ELECTION,
      checkpointInterval: "2s",
    });
    jobId = firstJob;
    await awaitRunning(firstJob);

    // Votes keep arriving in small batches (ledger first, then Kafka, as the service does): through
    // the stop, and on after the restart; the last fifth is held back until the job is back.
    let sent = 0;
    let restarted = false;
    const arriving = (async () => {
      while (sent < election.votes.length) {
        if (!restarted && sent >= election.votes.length * 0.8) {
          await sleep(100);
          continue;
        }
        const batch = election.votes.slice(sent, sent + 25);
        await recordVotes(active, batch);
        await produceVotes(active, batch);
        sent += batch.length;
        await sleep(200);
      }
    })();

    // Stop after a checkpoint that covers some votes, with more votes already on their way.
    let checkpoint: string | undefined;
    while (sent < election.votes.length / 3 || checkpoint === undefined) {
      await sleep(250);
      checkpoint = await latestCheckpoint(firstJob);
    }
    const sentAtStop = sent;
    await cancelJob(firstJob);
    // Only the newest checkpoint is retained on cancellation; earlier ones are already gone.
    checkpoint = await latestCheckpoint(firstJob);
    if (checkpoint === undefined) throw new Error("no checkpoint retained on cancellation");
    jobId = await submitTallyJob(stackContext(), {
      election: ELECTION,
      restoreFrom: checkpoint,
      checkpointInterval: "2s",
    });
    await awaitRunning(jobId);
    const sentAtRestart = sent;
    restarted = true;
    await arriving;
    expect(sentAtStop).toBeGreaterThan(0);
    expect(sentAtRestart, "votes sent while the job was stopped").toBeGreaterThan(sentAtStop);
    expect(sentAtRestart, "votes still to arrive after the restart").toBeLessThan(election.votes.length);
    expect(await restoredFrom(jobId)).toBe(checkpoint);

    const verdict = await settle(active.db, 90_000);
    expect(verdict.tables).toEqual(verdict.tables.map((t) => ({ table: t.table, missing: 0, extra: 0 })));
    expect(verdict).toMatchObject({
      match: true,
      votes: election.votes.length,
      tallied: election.votes.length,
    });
  }, 300_000);
});
