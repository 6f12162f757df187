import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { avroTypes, type DeadLetter, type Voter } from "../../schemas/records.js";
import { frame, unframe } from "../../schemas/wire.js";
import { VoterChoice, voteId } from "../../producers/election/choice.js";
import type { ElectionDefinition } from "../../producers/election/definition.js";
import { registerElectorate } from "../../producers/registration/register.js";
import { drawVoters } from "../../producers/registration/electorate.js";
import { localServiceEnv } from "../../local/endpoints.js";
import { serviceConfig } from "../../producers/runtime/config.js";
import { createLogger } from "../../producers/runtime/log.js";
import { createMetrics, type Metrics } from "../../producers/runtime/metrics.js";
import { producerConfig } from "../../producers/runtime/producer.js";
import { schemaId } from "../../producers/setup/setup.js";
import { VotingService } from "../../producers/voting/service.js";
import {
  freshElection,
  kafka,
  newPool,
  readAll,
  registry,
  testElection,
  waitFor,
} from "./services-fixture.js";

const VOTERS = 300;
const REGISTER_SEED = 11;
const ELECTION_SEED = 2026;
const election = testElection("services-dead-letters", { seed: ELECTION_SEED });
const { names } = election;
const { topics } = names;
const defaultElection = election.definition;
const pool = newPool(names);

/**
 * The default election plus a write-in candidate who was never registered: voters who choose them are
 * the "unknown candidate" case.
 */
const withWriteIn: ElectionDefinition = {
  ...defaultElection,
  candidates: [
    ...defaultElection.candidates,
    {
      candidate_id: "cand-write-in",
      name: "Write-in",
      party: "None",
      biography: "",
      platform: "",
      photo_url: "",
    },
  ],
  regions: defaultElection.regions.map((r) => ({
    ...r,
    preferences: { ...r.preferences, "cand-write-in": 15 },
  })),
};
const choice = new VoterChoice(withWriteIn, ELECTION_SEED);
const producer = kafka.producer(producerConfig);
let ids: { voter: number; vote: number };
let voters: Voter[];

beforeAll(async () => {
  await freshElection(election);
  await producer.connect();
  ids = {
    voter: (await schemaId(registry, names, "voter")) ?? 0,
    vote: (await schemaId(registry, names, "vote")) ?? 0,
  };
  await registerElectorate(
    pool,
    producer,
    { candidate: (await schemaId(registry, names, "candidate")) ?? 0, voter: ids.voter },
    {
      election: defaultElection,
      seed: REGISTER_SEED,
      voters: VOTERS,
      topics: { voters: topics.voters.name, candidates: topics.candidates.name },
      batchSize: 1_000,
    },
  );
  voters = drawVoters(defaultElection, REGISTER_SEED, 0, VOTERS).map((v) => ({
    ...v,
    registered_at: Date.now(),
  }));
});

afterAll(async () => {
  await producer.disconnect();
  await pool.end();
});

async function counter(metrics: Metrics, name: "votesCast" | "votesReemitted"): Promise<number> {
  return (await metrics[name].get()).values[0]?.value ?? 0;
}

async function deadLetterCount(metrics: Metrics): Promise<number> {
  return (await metrics.deadLetters.get()).values.reduce((n, v) => n + v.value, 0);
}

function decodeDeadLetter(value: Buffer): DeadLetter {
  const parts = unframe(value);
  if (!parts.ok) throw new Error("dead letter not in the wire format");
  return avroTypes.deadLetter.fromBuffer(parts.body);
}

describe("voting service with invalid input", () => {
  it("sends each bad record to the dead-letter topic with its reason and keeps voting", async () => {
    const metrics = createMetrics(names.election);
    const config = serviceConfig(localServiceEnv({ ...process.env, ...election.env }));
    const service = new VotingService({
      config,
      election: withWriteIn,
      log: createLogger("voting", "warn"),
      metrics,
    });
    await service.start();
    try {
      const choices = voters.map((v) => ({ voter: v, choice: choice.choose(v.voter_id, v.address.state) }));
      const writeIns = choices.filter(
        (c) => c.choice.votes && c.choice.candidateId === "cand-write-in",
      ).length;
      const voting = choices.filter((c) => c.choice.votes && c.choice.candidateId !== "cand-write-in");
      expect(writeIns).toBeGreaterThan(0);

      // A voter who would vote, but whom registration never saw.
      let stranger: Voter = { ...voters[0]!, registration_number: "none" };
      for (let i = 0; ; i++) {
        stranger = { ...stranger, voter_id: `stranger-${i}` };
        const c = choice.choose(stranger.voter_id, stranger.address.state);
        if (c.votes && c.candidateId !== "cand-write-in") break;
      }
      const garbage = Buffer.from("this is not Avro, just bytes");
      const bad = [
        { key: "garbage", value: garbage, reason: "undecodable" },
        { key: "truncated", value: frame(ids.voter, Buffer.from([2, 0x41])), reason: "undecodable" },
        {
          key: "unknown-schema",
          value: frame(2_000_000_001, avroTypes.voter.toBuffer(voters[0]!)),
          reason: "unknown-schema",
        },
        {
          key: "wrong-schema",
          value: frame(
            ids.vote,
            avroTypes.vote.toBuffer({
              vote_id: "v",
              voter_id: "wrong-schema",
              candidate_id: "c",
              party: "p",
              state: "s",
              gender: "male",
              age_band: "65+",
              cast_at: 0,
            }),
          ),
          reason: "invalid-record",
        },
        {
          key: stranger.voter_id,
          value: frame(ids.voter, avroTypes.voter.toBuffer(stranger)),
          reason: "unknown-voter",
        },
      ];
      await producer.send({
        topic: topics.voters.name,
        acks: -1,
        messages: bad.map(({ key, value }) => ({ key, value })),
      });

      await waitFor(
        "every dead letter",
        async () => (await deadLetterCount(metrics)) >= bad.length + writeIns,
      );
      await waitFor("every vote", async () => (await counter(metrics, "votesCast")) >= voting.length);
      expect(service.live() && service.ready()).toBe(true);

      const letters = (await readAll(topics.deadLetters.name)).map((r) => decodeDeadLetter(r.value));
      expect(letters).toHaveLength(bad.length + writeIns);
      for (const b of bad) {
        const letter = letters.find((l) => l.original_key?.toString() === b.key);
        expect(letter, b.key).toMatchObject({
          service: "voting",
          topic: topics.voters.name,
          error: b.reason,
        });
        expect(letter?.original_value?.equals(b.value)).toBe(true);
        expect(letter?.detail).not.toBe("");
      }
      expect(letters.find((l) => l.original_key?.toString() === "garbage")?.original_value).toEqual(garbage);
      expect(letters.filter((l) => l.error === "unknown-candidate")).toHaveLength(writeIns);
      const byReason = Object.fromEntries(
        (await metrics.deadLetters.get()).values.map((v) => [v.labels.reason, v.value]),
      );
      expect(byReason).toEqual({
        undecodable: 2,
        "unknown-schema": 1,
        "invalid-record": 1,
        "unknown-candidate": writeIns,
        "unknown-voter": 1,
      });

      // The same voter delivered again: the stored vote stays and is produced again, unchanged.
      const again = voting[0]!.voter;
      const stored = await pool.query<{ vote_id: string; cast_at: Date }>(
        "SELECT vote_id, cast_at FROM votes WHERE voter_id = $1",
        [again.voter_id],
      );
      await producer.send({
        topic: topics.voters.name,
        acks: -1,
        messages: [{ key: again.voter_id, value: frame(ids.voter, avroTypes.voter.toBuffer(again)) }],
      });
      await waitFor("the re-emitted vote", async () => (await counter(metrics, "votesReemitted")) === 1);
      expect(await counter(metrics, "votesCast")).toBe(voting.length);
      const { rows } = await pool.query<{ n: string; voters: string }>(
        "SELECT count(*) AS n, count(DISTINCT voter_id) AS voters FROM votes",
      );
      expect(rows[0]).toEqual({ n: String(voting.length), voters: String(voting.length) });
      const copies = (await readAll(topics.votes.name))
        .filter((r) => r.key === again.voter_id)
        .map((r) => {
          const parts = unframe(r.value);
          if (!parts.ok) throw new Error("vote not in the wire format");
          return avroTypes.vote.fromBuffer(parts.body);
        });
      expect(copies).toHaveLength(2);
      for (const copy of copies) {
        expect(copy.vote_id).toBe(voteId(ELECTION_SEED, again.voter_id));
        expect(copy.vote_id).toBe(stored.rows[0]?.vote_id);
        expect(copy.cast_at).toBe(stored.rows[0]?.cast_at.getTime());
      }
    } finally {
      await service.stop();
    }
  });
});
