import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadElection, withOverrides } from "../../local/election/document.js";
import { removeElection } from "../../local/election/reset.js";
import { runElection, type ElectionRunResult } from "../../local/election/run.js";
import { endpoints } from "../../local/endpoints.js";
import { readTopic } from "../../local/topic-reader.js";
import { electionNames, type ElectionNames } from "../../schemas/election/names.js";
import type { Election } from "../../schemas/generated/election.js";
import { valueSubject } from "../../schemas/topics.js";
import { repoRoot } from "../../versions.js";

/**
 * Two elections on one stack at once, with other candidates, regions and sizes, registering and voting
 * at the same time, and a third removed while they vote: each certifies against its own ledger and
 * nothing of one is found in another.
 */
const general = withOverrides(loadElection(), {
  name: "side-general",
  voters: 6_000,
  seed: 11,
  rateLimit: 0,
});
const city = withOverrides(loadElection(`${repoRoot}/elections/city-council.yaml`), {
  name: "side-city",
  voters: 3_000,
  seed: 12,
  rateLimit: 0,
});
const doomed = withOverrides(loadElection(`${repoRoot}/elections/city-council.yaml`), {
  name: "side-removed",
  voters: 1_000,
  seed: 13,
  rateLimit: 0,
});

const ep = endpoints();
const kafka = new Kafka({
  clientId: "side-by-side",
  brokers: [...ep.kafkaBrokers],
  logLevel: logLevel.NOTHING,
});
const pools = new Map<string, pg.Pool>();

function ledger(names: ElectionNames): pg.Pool {
  let pool = pools.get(names.election);
  if (pool === undefined) {
    pool = new pg.Pool({
      connectionString: ep.databaseUrl,
      max: 2,
      options: `-c search_path=${names.databaseSchema}`,
    });
    pools.set(names.election, pool);
  }
  return pool;
}

function run(election: Election, votingPort: number, whileVoting?: () => Promise<void>) {
  return runElection({
    election,
    resume: false,
    votingPort,
    registerFirst: false,
    showRegistration: false,
    say: (line) => console.log(`${election.metadata.name}: ${line}`),
    ...(whileVoting ? { whileVoting } : {}),
  });
}

let results: ElectionRunResult[] = [];
let removedWhileVoting = false;

beforeAll(async () => {
  // The third election first, whole, so that there is something of it to remove.
  const first = await run(doomed, 29471);
  expect(first.certification.match).toBe(true);
  const removeOnce = async () => {
    if (removedWhileVoting) return;
    removedWhileVoting = true;
    await removeElection(doomed.metadata.name);
  };
  results = await Promise.all([run(general, 29472, removeOnce), run(city, 29473)]);
}, 600_000);

afterAll(async () => {
  for (const pool of pools.values()) await pool.end();
  for (const e of [general, city]) await removeElection(e.metadata.name);
});

describe("elections side by side", () => {
  it("each certifies against its own ledger, counting every voter of its own electorate", async () => {
    for (const [i, election] of [general, city].entries()) {
      const result = results[i];
      expect(result?.certification.match, election.metadata.name).toBe(true);
      expect(result?.deadLetters).toBe(0);
      const db = ledger(electionNames(election.metadata.name));
      const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM voters");
      expect(Number(rows[0]?.n)).toBe(election.spec.electorate.voters);
      expect(result?.certification.votes).toBeGreaterThan(election.spec.electorate.voters * 0.3);
    }
  });

  it("keeps each election's candidates, votes, tallies and states to itself", async () => {
    for (const election of [general, city]) {
      const db = ledger(electionNames(election.metadata.name));
      const own = election.spec.candidates.map((c) => c.id).sort();
      const states = election.spec.regions.map((r) => r.state).sort();
      const distinct = async (sql: string) =>
        (await db.query<{ v: string }>(sql)).rows.map((r) => r.v).sort();
      expect(await distinct("SELECT candidate_id AS v FROM candidates")).toEqual(own);
      expect(own).toEqual(
        expect.arrayContaining(await distinct("SELECT DISTINCT candidate_id AS v FROM votes")),
      );
      expect(own).toEqual(
        expect.arrayContaining(await distinct("SELECT candidate_id AS v FROM tally_by_candidate")),
      );
      expect(states).toEqual(
        expect.arrayContaining(await distinct("SELECT state AS v FROM turnout_by_state")),
      );
      expect(await distinct("SELECT reason AS v FROM rejected_records")).toEqual([]);
    }
  });

  it("writes each election's live tallies to its own compacted topics only", async () => {
    for (const election of [general, city]) {
      const { topics } = electionNames(election.metadata.name);
      const keys = new Set(
        (await readTopic(kafka, topics.votesPerCandidate.name)).map((r) => r.key?.toString() ?? ""),
      );
      expect([...keys].sort()).toEqual(election.spec.candidates.map((c) => c.id).sort());
      const states = new Set(
        (await readTopic(kafka, topics.turnoutByLocation.name)).map((r) => r.key?.toString() ?? ""),
      );
      expect([...states].sort()).toEqual(election.spec.regions.map((r) => r.state).sort());
    }
  });

  it("removed the third election while they voted: its topics, subjects, groups and tables are gone", async () => {
    expect(removedWhileVoting).toBe(true);
    const names = electionNames(doomed.metadata.name);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      expect(topics.filter((t) => t.startsWith(`${names.election}.`))).toEqual([]);
      const { groups } = await admin.listGroups();
      expect(groups.map((g) => g.groupId).filter((g) => g.endsWith(names.election))).toEqual([]);
      for (const other of [general, city]) {
        const own = Object.values(electionNames(other.metadata.name).topics).map((t) => t.name);
        expect(own.filter((t) => !topics.includes(t))).toEqual([]);
      }
    } finally {
      await admin.disconnect();
    }
    const subjects = (await (await fetch(`${ep.registryUrl}/subjects`)).json()) as string[];
    expect(subjects.filter((s) => s.startsWith(`${names.election}.`))).toEqual([]);
    expect(subjects).toContain(valueSubject(electionNames(city.metadata.name).topics.votes));
    const { rows } = await ledger(electionNames(general.metadata.name)).query<{ present: boolean }>(
      "SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1) AS present",
      [names.databaseSchema],
    );
    expect(rows[0]?.present).toBe(false);
  });
});
