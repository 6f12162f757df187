import type pg from "pg";

/** How an election stands, read from the result tables: what the scoreboard shows, once a second. */
export interface ElectionSnapshot {
  readonly at: Date;
  readonly registered: number;
  /** Votes in the ledger (PostgreSQL). */
  readonly ledgerVotes: number;
  readonly candidates: ReadonlyArray<{
    readonly name: string;
    readonly party: string;
    readonly votes: number;
  }>;
  readonly states: ReadonlyArray<{
    readonly state: string;
    readonly registered: number;
    readonly votes: number;
    readonly turnoutPct: number;
  }>;
  /** Tallied votes per second over the last interval. */
  readonly votesPerSecond: number;
}

export function tallied(s: ElectionSnapshot): number {
  return s.candidates.reduce((n, c) => n + c.votes, 0);
}

/**
 * The register's and the ledger's sizes. Counting a million rows every second would cost PostgreSQL a
 * good part of a core, so the live view reads the statistics' row counts (of the election's own schema,
 * the connection's), at most a second behind; the final view counts exactly.
 */
const ledgerSizes = {
  live: `SELECT coalesce(sum(n_live_tup) FILTER (WHERE relname = 'voters'), 0) AS registered,
                coalesce(sum(n_live_tup) FILTER (WHERE relname = 'votes'), 0) AS ledger
         FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname IN ('voters', 'votes')`,
  exact: "SELECT (SELECT count(*) FROM voters) AS registered, (SELECT count(*) FROM votes) AS ledger",
};

export async function readSnapshot(
  db: pg.Pool,
  previous: ElectionSnapshot | undefined,
  counting: keyof typeof ledgerSizes = "live",
): Promise<ElectionSnapshot> {
  const [counts, candidates, states] = await Promise.all([
    db.query<{ registered: string; ledger: string }>(ledgerSizes[counting]),
    db.query<{ name: string; party: string; votes: string }>(
      `SELECT c.name, c.party, coalesce(t.votes, 0) AS votes
       FROM candidates c LEFT JOIN tally_by_candidate t USING (candidate_id)`,
    ),
    db.query<{ state: string; registered: string; votes: string; turnout_pct: string }>(
      "SELECT state, registered, votes, turnout_pct FROM turnout_by_state ORDER BY registered DESC, state LIMIT 5",
    ),
  ]);
  const snapshot = {
    at: new Date(),
    registered: Number(counts.rows[0]?.registered),
    ledgerVotes: Number(counts.rows[0]?.ledger),
    candidates: candidates.rows.map((c) => ({ name: c.name, party: c.party, votes: Number(c.votes) })),
    states: states.rows.map((s) => ({
      state: s.state,
      registered: Number(s.registered),
      votes: Number(s.votes),
      turnoutPct: Number(s.turnout_pct),
    })),
    votesPerSecond: 0,
  };
  if (previous) {
    const seconds = (snapshot.at.getTime() - previous.at.getTime()) / 1000;
    snapshot.votesPerSecond =
      seconds > 0 ? Math.max(0, (tallied(snapshot) - tallied(previous)) / seconds) : 0;
  }
  return snapshot;
}
