import type pg from "pg";
import { IsoTimestamps, type Vote } from "../../schemas/records.js";

/**
 * The votes table as the voting service uses it. The primary key on voter_id is the guard against a
 * second vote: a batch inserts with ON CONFLICT DO NOTHING, and only voters in the register can vote.
 */
export const CAST_VOTES_SQL = `
INSERT INTO votes (voter_id, vote_id, candidate_id, party, state, gender, age_band, cast_at)
SELECT b.voter_id, b.vote_id, b.candidate_id, b.party, b.state, b.gender, b.age_band, b.cast_at
FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
  AS b(voter_id, vote_id, candidate_id, party, state, gender, age_band, cast_at)
WHERE EXISTS (SELECT 1 FROM voters v WHERE v.voter_id = b.voter_id)
ON CONFLICT DO NOTHING
RETURNING voter_id`;

/** Inserts a batch of votes in one statement; returns the voter ids whose vote is new. */
export async function insertVotes(db: pg.Pool | pg.ClientBase, votes: readonly Vote[]): Promise<Set<string>> {
  if (votes.length === 0) return new Set();
  const column = <T>(f: (v: Vote) => T): T[] => votes.map(f);
  const castTimes = new IsoTimestamps();
  const { rows } = await db.query<{ voter_id: string }>(CAST_VOTES_SQL, [
    column((v) => v.voter_id),
    column((v) => v.vote_id),
    column((v) => v.candidate_id),
    column((v) => v.party),
    column((v) => v.state),
    column((v) => v.gender),
    column((v) => v.age_band),
    column((v) => castTimes.of(v.cast_at)),
  ]);
  return new Set(rows.map((r) => r.voter_id));
}

/** The stored votes of these voters (those that have one), to re-emit on redelivery. */
export async function storedVotes(
  db: pg.Pool | pg.ClientBase,
  voterIds: readonly string[],
): Promise<Map<string, Vote>> {
  if (voterIds.length === 0) return new Map();
  const { rows } = await db.query<{
    voter_id: string;
    vote_id: string;
    candidate_id: string;
    party: string;
    state: string;
    gender: string;
    age_band: string;
    cast_at: Date;
  }>(
    `SELECT voter_id, vote_id, candidate_id, party, state, gender, age_band, cast_at
     FROM votes WHERE voter_id = ANY($1::text[])`,
    [voterIds],
  );
  return new Map(rows.map((r) => [r.voter_id, { ...r, cast_at: r.cast_at.getTime() }]));
}

/** What the votes table made of a chunk's votes. */
export interface CastVotes {
  /** The voters whose vote is new. */
  readonly inserted: ReadonlySet<string>;
  /** The stored votes of the others that have one: a redelivered voter's vote, to produce again. */
  readonly stored: ReadonlyMap<string, Vote>;
}

/** Inserts a chunk's votes, then looks up the stored votes of the voters the insert skipped. */
export async function castVotes(db: pg.Pool | pg.ClientBase, votes: readonly Vote[]): Promise<CastVotes> {
  const inserted = await insertVotes(db, votes);
  const stored = await storedVotes(
    db,
    votes.filter((v) => !inserted.has(v.voter_id)).map((v) => v.voter_id),
  );
  return { inserted, stored };
}

/** The candidates on the ballot with their party, as registered. */
export async function registeredCandidates(db: pg.Pool): Promise<Map<string, string>> {
  const { rows } = await db.query<{ candidate_id: string; party: string }>(
    "SELECT candidate_id, party FROM candidates",
  );
  return new Map(rows.map((r) => [r.candidate_id, r.party]));
}
