import type { KafkaMessage } from "kafkajs";
import { describe, expect, it } from "vitest";
import type { Vote } from "../../schemas/records.js";
import { classifyChunk, type Ballot, type MarkedChunk, type Rejection } from "./chunk-outcome.js";

const NOW = Date.UTC(2026, 10, 3, 12);
const YESTERDAY = NOW - 86_400_000;

let offset = 0;
function message(voterId: string): KafkaMessage {
  return {
    key: Buffer.from(voterId),
    value: Buffer.from(`voter record of ${voterId}`),
    offset: String(offset++),
    timestamp: String(NOW),
    attributes: 0,
    headers: {},
  };
}

function vote(voterId: string, castAt = NOW): Vote {
  return {
    vote_id: `vote-of-${voterId}`,
    voter_id: voterId,
    candidate_id: "cand-1",
    party: "Party One",
    state: "Ohio",
    gender: "female",
    age_band: "35-44",
    cast_at: castAt,
  };
}

function ballot(voterId: string): Ballot {
  return { message: message(voterId), vote: vote(voterId) };
}

function marked(ballots: Ballot[], extra: Partial<MarkedChunk> = {}): MarkedChunk {
  return { ballots, rejections: [], abstained: 0, ...extra };
}

describe("classifying a chunk", () => {
  it("casts a voter's first vote", () => {
    const a = ballot("a");
    const chunk = classifyChunk(marked([a]), new Set(["a"]), new Map());
    expect(chunk.votes).toEqual([a.vote]);
    expect(chunk.rejections).toEqual([]);
    expect(chunk.outcome).toEqual({ cast: 1, reemitted: 0, abstained: 0, deadLetters: 0 });
  });

  it("casts a voter delivered twice in one chunk once and re-emits that vote for the second", () => {
    const first = ballot("a");
    const again = ballot("a");
    const chunk = classifyChunk(marked([first, again]), new Set(["a"]), new Map());
    expect(chunk.votes).toHaveLength(2);
    expect(chunk.votes[0]).toBe(first.vote);
    expect(chunk.votes[1]).toBe(first.vote);
    expect(chunk.outcome).toEqual({ cast: 1, reemitted: 1, abstained: 0, deadLetters: 0 });
  });

  it("re-emits the stored vote of a voter redelivered in a later chunk, not the ballot's", () => {
    const earlier = vote("a", YESTERDAY);
    const chunk = classifyChunk(marked([ballot("a")]), new Set(), new Map([["a", earlier]]));
    expect(chunk.votes).toEqual([earlier]);
    expect(chunk.votes[0]?.cast_at).toBe(YESTERDAY);
    expect(chunk.outcome).toEqual({ cast: 0, reemitted: 1, abstained: 0, deadLetters: 0 });
  });

  it("re-emits the stored vote for each delivery of a voter who voted in an earlier chunk", () => {
    const earlier = vote("a", YESTERDAY);
    const chunk = classifyChunk(marked([ballot("a"), ballot("a")]), new Set(), new Map([["a", earlier]]));
    expect(chunk.votes).toEqual([earlier, earlier]);
    expect(chunk.outcome).toEqual({ cast: 0, reemitted: 2, abstained: 0, deadLetters: 0 });
  });

  it("sends a voter who is not in the register to the dead letters with the ballot's message", () => {
    const stranger = ballot("x");
    const chunk = classifyChunk(marked([stranger]), new Set(), new Map());
    expect(chunk.votes).toEqual([]);
    expect(chunk.rejections).toHaveLength(1);
    expect(chunk.rejections[0]?.message).toBe(stranger.message);
    expect(chunk.rejections[0]).toMatchObject({
      reason: "unknown-voter",
      detail: "voter x is not in the register",
    });
    expect(chunk.outcome).toEqual({ cast: 0, reemitted: 0, abstained: 0, deadLetters: 1 });
  });

  it("counts the abstainers and produces nothing for them", () => {
    const chunk = classifyChunk(marked([], { abstained: 3 }), new Set(), new Map());
    expect(chunk.votes).toEqual([]);
    expect(chunk.rejections).toEqual([]);
    expect(chunk.outcome).toEqual({ cast: 0, reemitted: 0, abstained: 3, deadLetters: 0 });
  });

  it("keeps the rejections found while marking, with their messages, ahead of the unknown voters", () => {
    const undecodable: Rejection = {
      message: message("garbled"),
      reason: "undecodable",
      detail: "not in the schema registry wire format",
    };
    const writeIn: Rejection = {
      message: message("w"),
      reason: "unknown-candidate",
      detail: "candidate cand-write-in of the election is not registered",
    };
    const stranger = ballot("x");
    const chunk = classifyChunk(
      marked([stranger], { rejections: [undecodable, writeIn] }),
      new Set(),
      new Map(),
    );
    expect(chunk.rejections.map((r) => r.reason)).toEqual([
      "undecodable",
      "unknown-candidate",
      "unknown-voter",
    ]);
    expect(chunk.rejections[0]).toBe(undecodable);
    expect(chunk.rejections[1]).toBe(writeIn);
    expect(chunk.rejections[2]?.message).toBe(stranger.message);
    expect(chunk.outcome.deadLetters).toBe(3);
  });

  it("produces the votes in ballot order and counts every message of a mixed chunk once", () => {
    const earlierB = vote("b", YESTERDAY);
    const a = ballot("a");
    const b = ballot("b");
    const x = ballot("x");
    const c = ballot("c");
    const aAgain = ballot("a");
    const invalid: Rejection = {
      message: message("?"),
      reason: "invalid-record",
      detail: "voter_id is empty",
    };
    const chunk = classifyChunk(
      marked([a, b, x, c, aAgain], { rejections: [invalid], abstained: 2 }),
      new Set(["a", "c"]),
      new Map([["b", earlierB]]),
    );
    expect(chunk.votes).toEqual([a.vote, earlierB, c.vote, a.vote]);
    expect(chunk.rejections.map((r) => r.message)).toEqual([invalid.message, x.message]);
    expect(chunk.outcome).toEqual({ cast: 2, reemitted: 2, abstained: 2, deadLetters: 2 });
  });

  it("leaves the chunk it was given as it was", () => {
    const rejections: Rejection[] = [];
    classifyChunk(marked([ballot("x")], { rejections }), new Set(), new Map());
    expect(rejections).toEqual([]);
  });

  it("makes nothing of an empty chunk", () => {
    expect(classifyChunk(marked([]), new Set(), new Map())).toEqual({
      votes: [],
      rejections: [],
      outcome: { cast: 0, reemitted: 0, abstained: 0, deadLetters: 0 },
    });
  });

  it("after the polls close, casts nothing new but produces stored votes again", () => {
    const late = ballot("late");
    const redelivered = ballot("redelivered");
    const earlier = vote("redelivered", YESTERDAY);
    const chunk = classifyChunk(
      marked([late, redelivered]),
      new Set(),
      new Map([["redelivered", earlier]]),
      true,
    );
    expect(chunk.votes).toEqual([earlier]);
    expect(chunk.rejections).toEqual([]);
    expect(chunk.outcome).toEqual({ cast: 0, reemitted: 1, abstained: 1, deadLetters: 0 });
  });
});
