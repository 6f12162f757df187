import { afterAll, describe, expect, it } from "vitest";
import { certify } from "../../flink-sql/certification.js";
import { endpoints } from "../../local/endpoints.js";
import { stackContext } from "../../local/stack.js";
import { awaitRunning, cancelJob, submitTallyJob } from "../../local/tally-job.js";
import { pollUntil } from "../../producers/runtime/waiting.js";
import { avroTypes, type Vote, type Voter } from "../../schemas/records.js";
import { electionNames } from "../../schemas/election/names.js";
import { valueSubject } from "../../schemas/topics.js";
import { frame, frameRecord } from "../../schemas/wire.js";
import {
  freshStage,
  knownElection,
  produceVotes,
  publishRegister,
  recordVotes,
  type ElectionStage,
} from "./support/election-fixture.js";

/** What one bad record must become in rejected_records. */
interface Planted {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly reason: string;
}

/** The rejectedRecords metric of the running job, summed per reason over its operators. */
async function rejectedRecordsMetric(jobId: string): Promise<Record<string, number>> {
  const flink = endpoints().flinkRestUrl;
  const get = async <T>(path: string): Promise<T> => (await (await fetch(`${flink}${path}`)).json()) as T;
  const counts: Record<string, number> = {};
  const { vertices } = await get<{ vertices: { id: string }[] }>(`/jobs/${jobId}`);
  for (const v of vertices) {
    const ids = (await get<{ id: string }[]>(`/jobs/${jobId}/vertices/${v.id}/metrics`))
      .map((m) => m.id)
      .filter((id) => /\.reason\.[a-z-]+\.rejectedRecords$/.test(id));
    if (ids.length === 0) continue;
    const values = await get<{ id: string; value: string }[]>(
      `/jobs/${jobId}/vertices/${v.id}/metrics?get=${ids.map(encodeURIComponent).join(",")}`,
    );
    for (const m of values) {
      const reason = /\.reason\.([a-z-]+)\.rejectedRecords$/.exec(m.id)?.[1] ?? "";
      counts[reason] = (counts[reason] ?? 0) + Number(m.value);
    }
  }
  return sortedKeys(counts);
}

function sortedKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

const ELECTION = "rejections-test";
const { topics } = electionNames(ELECTION);

describe("the tally job's checks", () => {
  let stage: ElectionStage | undefined;
  let jobId: string | undefined;

  afterAll(async () => {
    if (jobId) await cancelJob(jobId).catch(() => undefined);
    await stage?.close();
  });

  it("keep each record they cannot read or the ledger refutes, with its reason, count it, and go on counting", async () => {
    stage = await freshStage(ELECTION);
    const active = stage;
    const castFrom = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
    const election = knownElection(2_000, 29, castFrom);
    await publishRegister(active, election);
    await recordVotes(active, election.votes);
    jobId = await submitTallyJob(stackContext(), { election: ELECTION });
    await awaitRunning(jobId);

    const ids = {
      vote: active.schemaIds[valueSubject(topics.votes)] as number,
      voter: active.schemaIds[valueSubject(topics.voters)] as number,
      candidate: active.schemaIds[valueSubject(topics.candidates)] as number,
    };
    const voted = new Set(election.votes.map((v) => v.voter_id));
    const [first, second] = election.votes;
    const abstainer = election.voters.find((v) => !voted.has(v.voter_id));
    const candidate = election.candidates[0];
    if (!first || !second || !abstainer || !candidate) throw new Error("the known election lacks a case");
    const vote = (v: Vote) => frameRecord(ids.vote, avroTypes.vote, v);
    const stranger: Voter = { ...abstainer, voter_id: "voter-nobody", registration_number: "REG-nobody" };
    const bad: { topic: string; value: Buffer; reason: string }[] = [
      { topic: topics.votes.name, value: Buffer.from("plain text"), reason: "bad-framing" },
      { topic: topics.votes.name, value: frame(424_242_424, Buffer.from([2, 65])), reason: "unknown-schema" },
      {
        topic: topics.votes.name,
        value: frameRecord(ids.candidate, avroTypes.candidate, candidate),
        reason: "wrong-schema",
      },
      { topic: topics.votes.name, value: vote(first).subarray(0, 20), reason: "undecodable" },
      {
        topic: topics.votes.name,
        value: vote({ ...first, candidate_id: "cand-none" }),
        reason: "unknown-candidate",
      },
      {
        topic: topics.votes.name,
        value: vote({ ...first, voter_id: "voter-nobody" }),
        reason: "unknown-voter",
      },
      {
        topic: topics.votes.name,
        value: vote({
          ...first,
          voter_id: abstainer.voter_id,
          vote_id: "00000000-0000-4000-8000-999999999999",
        }),
        reason: "not-in-ledger",
      },
      {
        topic: topics.votes.name,
        value: vote({ ...first, vote_id: "00000000-0000-4000-8000-888888888888" }),
        reason: "second-vote",
      },
      {
        topic: topics.votes.name,
        value: vote({
          ...second,
          candidate_id: second.candidate_id === candidate.candidate_id ? "cand-2" : candidate.candidate_id,
        }),
        reason: "altered-vote",
      },
      { topic: topics.voters.name, value: Buffer.from([1, 2, 3]), reason: "bad-framing" },
      {
        topic: topics.voters.name,
        value: frameRecord(ids.voter, avroTypes.voter, stranger),
        reason: "unknown-voter",
      },
    ];
    const planted: Planted[] = [];
    for (const b of bad) {
      const [meta] = await active.producer.send({
        topic: b.topic,
        messages: [{ key: "bad", value: b.value }],
      });
      planted.push({
        topic: b.topic,
        partition: meta?.partition ?? -1,
        offset: Number(meta?.baseOffset),
        reason: b.reason,
      });
    }
    // Good votes after the bad ones: a record that stopped the job would keep these from being counted.
    await produceVotes(active, election.votes);

    const rows = await pollUntil(
      async () => {
        const { rows } = await active.db.query<{
          source_topic: string;
          source_partition: number;
          source_offset: string;
          reason: string;
        }>("SELECT source_topic, source_partition, source_offset, reason FROM rejected_records");
        return rows.length >= planted.length ? rows : undefined;
      },
      { timeoutMs: 90_000, what: "the rejected records" },
    );
    expect(
      rows
        .map((r) => ({
          topic: r.source_topic,
          partition: r.source_partition,
          offset: Number(r.source_offset),
          reason: r.reason,
        }))
        .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset),
    ).toEqual(
      [...planted].sort(
        (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset,
      ),
    );

    const verdict = await pollUntil(
      async () => {
        const c = await certify(active.db);
        return c.match ? c : undefined;
      },
      { timeoutMs: 90_000, what: "the tallies to match the ledger" },
    );
    expect(verdict).toMatchObject({
      match: true,
      votes: election.votes.length,
      tallied: election.votes.length,
    });

    const expected: Record<string, number> = {};
    for (const p of planted) expected[p.reason] = (expected[p.reason] ?? 0) + 1;
    // The REST API reports metrics as its fetcher last read them, every 10 s.
    const running = jobId;
    const counted = await pollUntil(
      async () => {
        const metric = await rejectedRecordsMetric(running);
        return JSON.stringify(metric) === JSON.stringify(sortedKeys(expected)) ? metric : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 2_000, what: "the rejectedRecords metric to count every rejection" },
    ).catch(() => rejectedRecordsMetric(running));
    expect(counted).toEqual(expected);
  }, 240_000);
});
