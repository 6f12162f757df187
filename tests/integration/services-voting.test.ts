import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { avroTypes, type Vote } from "../../schemas/records.js";
import { unframe } from "../../schemas/wire.js";
import { VoterChoice, voteId } from "../../producers/election/choice.js";
import { withOverrides } from "../../local/election/document.js";
import { localServiceEnv } from "../../local/endpoints.js";
import { serviceConfig } from "../../producers/runtime/config.js";
import { createLogger } from "../../producers/runtime/log.js";
import { createMetrics } from "../../producers/runtime/metrics.js";
import { VotingService } from "../../producers/voting/service.js";
import {
  forgetVotingProgress,
  freshElection,
  kafka,
  newPool,
  registerTestElectorate,
  readAll,
  recreateTopics,
  testElection,
  waitFor,
} from "./services-fixture.js";

const VOTERS = 10_000;
const REGISTER_SEED = 3;
const ELECTION_SEED = 2026;
const election = testElection("services-voting", { seed: ELECTION_SEED });
const { names } = election;
const { topics } = names;
const pool = newPool(names);
/** voter id -> candidate id, for every voter who chooses to vote. */
let expected = new Map<string, string>();

beforeAll(async () => {
  await freshElection(election);
  await registerTestElectorate(pool, election, REGISTER_SEED, VOTERS, 2_000);
  const choice = new VoterChoice(election.definition, ELECTION_SEED);
  const { rows } = await pool.query<{ voter_id: string; state: string }>(
    "SELECT voter_id, state FROM voters",
  );
  expect(rows).toHaveLength(VOTERS);
  expected = new Map();
  for (const r of rows) {
    const c = choice.choose(r.voter_id, r.state);
    if (c.votes) expected.set(r.voter_id, c.candidateId);
  }
});

afterAll(async () => {
  await pool.end();
});

async function storedVoteCount(): Promise<number> {
  const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM votes");
  return Number(rows[0]?.n);
}

/** Checks the ledger against the expected choices, and the votes topic against the ledger. */
async function expectEveryVoteOnceInLedgerAndInTopic(): Promise<{ topicRecords: number }> {
  const { rows } = await pool.query<{ voter_id: string; vote_id: string; candidate_id: string }>(
    "SELECT voter_id, vote_id, candidate_id FROM votes",
  );
  expect(rows).toHaveLength(expected.size);
  for (const r of rows) {
    expect(expected.get(r.voter_id)).toBe(r.candidate_id);
    expect(r.vote_id).toBe(voteId(ELECTION_SEED, r.voter_id));
  }
  const inTopic = new Map<string, Vote[]>();
  const records = await readAll(topics.votes.name);
  for (const record of records) {
    const parts = unframe(record.value);
    if (!parts.ok) throw new Error("vote not in the wire format");
    const vote = avroTypes.vote.fromBuffer(parts.body);
    expect(record.key).toBe(vote.voter_id);
    inTopic.set(vote.voter_id, [...(inTopic.get(vote.voter_id) ?? []), vote]);
  }
  for (const r of rows) {
    const copies = inTopic.get(r.voter_id) ?? [];
    expect(copies.length, `votes in the topic for ${r.voter_id}`).toBeGreaterThanOrEqual(1);
    // Duplicates are allowed; they must be the same vote.
    for (const copy of copies)
      expect(copy).toMatchObject({ vote_id: r.vote_id, candidate_id: r.candidate_id });
  }
  expect(inTopic.size).toBe(rows.length);
  return { topicRecords: records.length };
}

describe("voting service", () => {
  it("casts exactly one vote per voter who chooses to vote, in PostgreSQL and in the votes topic", async () => {
    const metrics = createMetrics(names.election);
    const config = serviceConfig(localServiceEnv({ ...process.env, ...election.env }));
    const service = new VotingService({
      config,
      election: election.definition,
      log: createLogger("voting", "warn"),
      metrics,
    });
    await service.start();
    try {
      await waitFor("every vote stored", async () => (await storedVoteCount()) >= expected.size);
      await waitFor(
        "every vote produced",
        async () => (await metrics.votesCast.get()).values[0]?.value === expected.size,
      );
      expect(service.ready()).toBe(true);
    } finally {
      await service.stop();
    }
    expect(expected.size).toBeGreaterThan(VOTERS * 0.55);
    expect(expected.size).toBeLessThan(VOTERS * 0.72);
    const { topicRecords } = await expectEveryVoteOnceInLedgerAndInTopic();
    expect(topicRecords).toBe(expected.size);
    expect((await metrics.votesReemitted.get()).values[0]?.value).toBe(0);
    const lag = (await metrics.consumerLag.get()).values;
    expect(lag.length).toBeGreaterThan(0);
    expect(lag.every((l) => l.value === 0)).toBe(true);
  });

  it("loses and doubles nothing when killed with SIGKILL mid-run and restarted", async () => {
    await pool.query("TRUNCATE votes");
    await recreateTopics([topics.votes]);
    await forgetVotingProgress(names);
    // Slowed down so the kill lands mid-run.
    const first = startVotingProcess(1_500);
    await waitFor("some votes stored", async () => (await storedVoteCount()) >= 1_000, 60_000);
    first.kill("SIGKILL");
    await exited(first);
    const atKill = await storedVoteCount();
    expect(atKill).toBeLessThan(expected.size);

    const second = startVotingProcess(0);
    try {
      await waitFor(
        "every vote stored after the restart",
        async () => (await storedVoteCount()) >= expected.size,
      );
      // The uncommitted tail was redelivered: wait until the restarted service has produced it.
      await waitFor("the restarted service to catch up", async () => (await lagOf(names.votingGroup)) === 0);
    } finally {
      second.kill("SIGTERM");
    }
    expect(await exited(second)).toBe(0);
    const { topicRecords } = await expectEveryVoteOnceInLedgerAndInTopic();
    expect(topicRecords).toBeGreaterThanOrEqual(expected.size);
  });
});

describe("voting service shutdown", () => {
  it("finishes and commits the chunks in hand on SIGTERM, then exits 0", async () => {
    await pool.query("TRUNCATE votes");
    await recreateTopics([topics.votes]);
    await forgetVotingProgress(names);
    const child = startVotingProcess(1_000);
    await waitFor("some votes stored", async () => (await storedVoteCount()) >= 500, 60_000);
    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
    expect(await storedVoteCount()).toBeLessThan(expected.size);

    // Everything below the committed offsets was cast and produced: nothing committed was left undone.
    const admin = kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({
      groupId: names.votingGroup,
      topics: [topics.voters.name],
    });
    await admin.disconnect();
    const below = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    const records = await readAll(topics.voters.name);
    const { rows } = await pool.query<{ voter_id: string }>("SELECT voter_id FROM votes");
    const stored = new Set(rows.map((r) => r.voter_id));
    const produced = new Set((await readAll(topics.votes.name)).map((r) => r.key));
    let covered = 0;
    for (const r of records) {
      if (r.offset >= (below.get(r.partition) ?? 0) || !expected.has(r.key)) continue;
      covered++;
      expect(stored.has(r.key), `vote of ${r.key} stored`).toBe(true);
      expect(produced.has(r.key), `vote of ${r.key} produced`).toBe(true);
    }
    expect(covered).toBeGreaterThan(0);
  });
});

/** The voting service as its own process, casting at up to rateLimit votes/s (0: no limit). */
function startVotingProcess(rateLimit: number): ChildProcess {
  const document = withOverrides(election.document, { rateLimit });
  const child = spawn(process.execPath, ["--import", "tsx", "producers/voting/main.ts"], {
    env: {
      ...localServiceEnv(),
      ELECTION_DOCUMENT: JSON.stringify(document),
      HTTP_PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** The group's committed lag on the voters topic; Infinity until it has committed every partition. */
async function lagOf(group: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topics.voters.name] });
    const ends = await admin.fetchTopicOffsets(topics.voters.name);
    let lag = 0;
    for (const end of ends) {
      const offset = Number(committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
      if (offset < 0 && Number(end.high) > 0) return Number.POSITIVE_INFINITY;
      lag += Number(end.high) - Math.max(offset, 0);
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}
