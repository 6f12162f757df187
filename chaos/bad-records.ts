import { randomUUID } from "node:crypto";
import type { Producer } from "kafkajs";
import type pg from "pg";
import { VoterChoice } from "../producers/election/choice.js";
import type { ElectionDefinition } from "../producers/election/definition.js";
import { avroTypes, type Vote, type Voter } from "../schemas/records.js";
import { chaosNames } from "./election.js";
import { frame, frameRecord } from "../schemas/wire.js";

const { topics } = chaosNames;

/** The schema ids of the contracts, as registered for their topics. */
export interface ContractIds {
  readonly vote: number;
  readonly voter: number;
  readonly candidate: number;
}

/** A bad record written to a topic, and what the platform must make of it. */
export interface BadRecord {
  readonly what: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The reason the tally job must keep it in rejected_records under. */
  readonly rejection: string;
  /** The reason the voting service must dead-letter it under, for records on the voters topic it reads. */
  readonly deadLetter?: string;
}

/** A schema id no registry has handed out: ids count up from 1. */
const UNKNOWN_SCHEMA_ID = 987_654_321;
/** Close to the broker's 1 MiB record limit: the tally job must store its rejection in a few bytes. */
const LARGE_RECORD_BYTES = 900 * 1024;

interface Draft {
  readonly what: string;
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer;
  readonly rejection: string;
  readonly deadLetter?: string;
}

/**
 * One round of every kind of bad record, written while the election runs: records that are not
 * Confluent-framed Avro, name an unknown schema, carry another contract, do not decode, or are
 * well-formed but refuted by the ledger (an unknown candidate, a voter who abstained, a second vote, a
 * voter not in the register, a 900 KB vote). The voters and votes they name come from the register and
 * ledger as they stand, so the reason each must get is certain.
 */
export async function writeBadRecords(
  producer: Producer,
  db: pg.Pool,
  ids: ContractIds,
  election: ElectionDefinition,
  seed: number,
): Promise<BadRecord[]> {
  const choice = new VoterChoice(election, seed);
  const voted = await db.query<Vote & { cast_at: Date }>(
    `SELECT voter_id, vote_id::text, candidate_id, party, state, gender, age_band, cast_at
     FROM votes ORDER BY random() LIMIT 1`,
  );
  const registered = await db.query<{ voter_id: string; state: string }>(
    "SELECT voter_id, state FROM voters ORDER BY random() LIMIT 200",
  );
  const ballot = election.candidates.map((c) => c.candidate_id);
  const vote = voted.rows[0];
  const abstainer = registered.rows.find((v) => !choice.choose(v.voter_id, v.state).votes);
  const anyone = registered.rows[0];
  if (vote === undefined || abstainer === undefined || anyone === undefined) {
    throw new Error("bad records need a ledger with votes and a register with an abstainer");
  }
  const castAt = Date.now();
  const asVote = (fields: Partial<Vote>): Buffer =>
    frameRecord(ids.vote, avroTypes.vote, {
      vote_id: randomUUID(),
      voter_id: anyone.voter_id,
      candidate_id: ballot[0] ?? "",
      party: "Any Party",
      state: anyone.state,
      gender: "female",
      age_band: "35-44",
      cast_at: castAt,
      ...fields,
    } satisfies Vote);
  const truncated = asVote({});
  const drafts: Draft[] = [
    {
      what: "garbage",
      topic: topics.votes.name,
      key: "garbage",
      value: Buffer.from("this is not Avro at all"),
      rejection: "bad-framing",
    },
    {
      what: "unknown schema",
      topic: topics.votes.name,
      key: "unknown",
      value: frame(UNKNOWN_SCHEMA_ID, Buffer.from([2, 65])),
      rejection: "unknown-schema",
    },
    {
      what: "another contract",
      topic: topics.votes.name,
      key: "candidate",
      value: frameRecord(ids.candidate, avroTypes.candidate, {
        candidate_id: "cand-elsewhere",
        name: "Not A Vote",
        party: "None",
        biography: "",
        platform: "",
        photo_url: "",
        registered_at: castAt,
      }),
      rejection: "wrong-schema",
    },
    {
      what: "truncated vote",
      topic: topics.votes.name,
      key: "truncated",
      value: truncated.subarray(0, truncated.length - 12),
      rejection: "undecodable",
    },
    {
      what: "900 KB vote",
      topic: topics.votes.name,
      key: "large",
      value: asVote({ voter_id: `voter-${"x".repeat(LARGE_RECORD_BYTES)}` }),
      rejection: "unknown-voter",
    },
    {
      what: "unknown candidate",
      topic: topics.votes.name,
      key: anyone.voter_id,
      value: asVote({ candidate_id: "cand-nobody" }),
      rejection: "unknown-candidate",
    },
    {
      what: "vote of an abstainer",
      topic: topics.votes.name,
      key: abstainer.voter_id,
      value: asVote({ voter_id: abstainer.voter_id, state: abstainer.state }),
      rejection: "not-in-ledger",
    },
    {
      what: "second vote",
      topic: topics.votes.name,
      key: vote.voter_id,
      value: asVote({
        voter_id: vote.voter_id,
        state: vote.state,
        candidate_id: ballot.find((c) => c !== vote.candidate_id) ?? vote.candidate_id,
      }),
      rejection: "second-vote",
    },
    {
      what: "garbage voter",
      topic: topics.voters.name,
      key: "garbage",
      value: Buffer.from([0xde, 0xad, 0xbe, 0xef]),
      rejection: "bad-framing",
      deadLetter: "undecodable",
    },
    {
      what: "unknown voter schema",
      topic: topics.voters.name,
      key: "unknown",
      value: frame(UNKNOWN_SCHEMA_ID, Buffer.from([2, 65])),
      rejection: "unknown-schema",
      deadLetter: "unknown-schema",
    },
    forgedVoter(ids, election, choice, castAt),
  ];
  const written: BadRecord[] = [];
  for (const d of drafts) {
    const [meta] = await producer.send({
      topic: d.topic,
      acks: -1,
      messages: [{ key: d.key, value: d.value }],
    });
    if (meta?.baseOffset === undefined) throw new Error(`no offset for the ${d.what} record`);
    written.push({
      what: d.what,
      topic: d.topic,
      partition: meta.partition,
      offset: Number(meta.baseOffset),
      rejection: d.rejection,
      ...(d.deadLetter ? { deadLetter: d.deadLetter } : {}),
    });
  }
  return written;
}

/**
 * A well-formed Voter the register does not hold, drawn until the election's choice has them vote: the
 * voting service then tries to cast for them and dead-letters them as unknown, rather than quietly
 * letting them abstain.
 */
function forgedVoter(ids: ContractIds, election: ElectionDefinition, choice: VoterChoice, at: number): Draft {
  const state = election.regions[0]?.state ?? "Nowhere";
  let voterId = randomUUID();
  while (!choice.choose(voterId, state).votes) voterId = randomUUID();
  const voter: Voter = {
    voter_id: voterId,
    name: "Nobody Registered",
    date_of_birth: 3_650,
    gender: "other",
    nationality: election.nationality,
    registration_number: `XX-${voterId}`,
    address: {
      street: "1 Nowhere Lane",
      city: "Nowhere",
      state,
      country: election.country,
      postcode: "00000",
    },
    email: "nobody@example.org",
    phone: "(555) 555-0100",
    cell: "(555) 555-0101",
    picture_url: "https://example.org/nobody.jpg",
    registered_age: 45,
    registered_at: at,
  };
  return {
    what: "voter not in the register",
    topic: topics.voters.name,
    key: voterId,
    value: frameRecord(ids.voter, avroTypes.voter, voter),
    rejection: "unknown-voter",
    deadLetter: "unknown-voter",
  };
}
