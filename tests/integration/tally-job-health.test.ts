import { spawnSync } from "node:child_process";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { loadElection, withOverrides } from "../../local/election/document.js";
import { markClosed, markOpen } from "../../local/elections.js";
import { endpoints } from "../../local/endpoints.js";
import { stackContext } from "../../local/stack.js";
import { cancelJob, latestCheckpoint, liveTallyJob, resumeTallyJob } from "../../local/tally-job.js";
import { SchemaRegistryClient } from "../../producers/runtime/registry.js";
import { pollUntil } from "../../producers/runtime/waiting.js";
import { avroTypes, voterSchema } from "../../schemas/records.js";
import { electionNames } from "../../schemas/election/names.js";
import { valueSubject } from "../../schemas/topics.js";
import { frameRecord } from "../../schemas/wire.js";
import { freshStage, knownElection, publishRegister } from "./support/election-fixture.js";

const ELECTION = "health-test";
const names = electionNames(ELECTION);
const { topics } = names;
const ctx = stackContext();
const env = { ...process.env, CI: "true", FLINK_CHECKPOINT_INTERVAL: "2s" };

/** `make stack-status` and `make tally-resume`, as a user runs them. */
function stackCli(command: "status" | "resume"): { code: number; flink: string; out: string } {
  const run = spawnSync(process.execPath, ["--import", "tsx", "local/cli.ts", command], {
    env,
    encoding: "utf8",
  });
  const flink = run.stdout.split("\n").find((l) => l.startsWith("flink ")) ?? "";
  return { code: run.status ?? -1, flink, out: run.stdout + run.stderr };
}

describe("the tally job of an open election in make stack-status", () => {
  const db = new pg.Pool({
    connectionString: endpoints().databaseUrl,
    max: 1,
    options: `-c search_path=${names.databaseSchema}`,
  });

  afterAll(async () => {
    markClosed(ctx.settings, ELECTION);
    const job = await liveTallyJob(ELECTION);
    if (job) await cancelJob(job.jid);
    await db.end();
  });

  it("is healthy while it runs, unhealthy once killed or restarting, and healthy again once resumed", async () => {
    const stage = await freshStage(ELECTION);
    await publishRegister(stage, knownElection(200, 3, Date.now()));
    await stage.close();
    markOpen(ctx.settings, {
      name: ELECTION,
      document: withOverrides(loadElection(), { name: ELECTION, voters: 200, seed: 3 }),
      openedAt: new Date().toISOString(),
    });
    process.env.FLINK_CHECKPOINT_INTERVAL = "2s";
    const first = await resumeTallyJob(ctx, ELECTION);
    delete process.env.FLINK_CHECKPOINT_INTERVAL;
    expect(stackCli("status")).toMatchObject({
      code: 0,
      flink: expect.stringContaining(`tally job of ${ELECTION} RUNNING`),
    });

    const checkpoint = await pollUntil(() => latestCheckpoint(first.jobId), {
      timeoutMs: 60_000,
      what: "a checkpoint of the tally job",
    });
    await cancelJob(first.jobId);
    const killed = stackCli("status");
    expect(killed.code).toBe(1);
    expect(killed.flink).toMatch(/unhealthy/);
    expect(killed.flink).toContain(`tally job of ${ELECTION} CANCELED`);

    const resumed = stackCli("resume");
    expect(resumed.code).toBe(0);
    expect(resumed.out).toContain(`tally job of ${ELECTION} resumed as`);
    expect(resumed.out).toContain(checkpoint.replace(/^file:/, ""));
    expect(stackCli("status")).toMatchObject({ code: 0, flink: expect.stringContaining("RUNNING") });

    // A lookup the register cannot answer fails the job, which restarts again and again: unhealthy, with
    // its restarts and the cause, until the register answers once more.
    const { rows } = await db.query<{ definition: string }>(
      "SELECT pg_get_functiondef('tally_voters_in_register(text[])'::regprocedure) AS definition",
    );
    const definition = rows[0]?.definition ?? "";
    await db.query("DROP FUNCTION tally_voters_in_register(text[])");
    try {
      await announceVoter();
      const restarting = await pollUntil(
        async () => {
          const status = stackCli("status");
          return status.code === 1 && /[1-9]\d* restarts/.test(status.flink) ? status : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 2_000, what: "the tally job to fail and restart" },
      );
      expect(restarting.flink).toMatch(/tally job of health-test (RESTARTING|RUNNING|INITIALIZING)/);
      expect(restarting.flink).toContain("tally_voters_in_register");
    } finally {
      await db.query(definition);
    }
    await pollUntil(async () => (stackCli("status").code === 0 ? true : undefined), {
      timeoutMs: 120_000,
      intervalMs: 2_000,
      what: "the tally job to run again",
    });
  }, 420_000);
});

/** A registration record on the voters topic, which the tally job checks against the register. */
async function announceVoter(): Promise<void> {
  const ep = endpoints();
  const id = await new SchemaRegistryClient(ep.registryUrl).lookup(valueSubject(topics.voters), voterSchema);
  if (id === undefined) throw new Error("no Voter schema registered");
  const [voter] = knownElection(1, 5, Date.now()).voters;
  if (voter === undefined) throw new Error("no voter drawn");
  const producer = new Kafka({ brokers: [...ep.kafkaBrokers], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({
    topic: topics.voters.name,
    messages: [{ key: voter.voter_id, value: frameRecord(id, avroTypes.voter, voter) }],
  });
  await producer.disconnect();
}
