import type pg from "pg";

/**
 * Certification: each streamed result table compared, row for row, with the same figure recomputed
 * from the ledger (the votes, voters and candidates tables). Both sides are SQL with the same columns,
 * so the comparison is an exact set difference in PostgreSQL.
 */
export interface TallyCheck {
  readonly table: string;
  /** The figure recomputed from the ledger. */
  readonly expected: string;
  /** The same columns read from the table Flink writes. */
  readonly actual: string;
}

export const tallyChecks: readonly TallyCheck[] = [
  {
    table: "tally_by_candidate",
    expected: `SELECT v.candidate_id, c.name, c.party, count(*)::bigint
               FROM votes v JOIN candidates c USING (candidate_id) GROUP BY 1, 2, 3`,
    actual: "SELECT candidate_id, candidate_name, party, votes FROM tally_by_candidate",
  },
  {
    table: "tally_by_party",
    expected: "SELECT party, count(*)::bigint FROM votes GROUP BY party",
    actual: "SELECT party, votes FROM tally_by_party",
  },
  {
    table: "turnout_by_state",
    expected: `SELECT r.state, r.registered, coalesce(v.votes, 0)::bigint,
                      round(100.0 * coalesce(v.votes, 0) / r.registered, 2)::numeric(6, 2)
               FROM (SELECT state, count(*)::bigint AS registered FROM voters GROUP BY state) r
               LEFT JOIN (SELECT state, count(*) AS votes FROM votes GROUP BY state) v USING (state)`,
    actual: "SELECT state, registered, votes, turnout_pct FROM turnout_by_state",
  },
  {
    table: "tally_by_gender",
    expected: "SELECT gender, count(*)::bigint FROM votes GROUP BY gender",
    actual: "SELECT gender, votes FROM tally_by_gender",
  },
  {
    table: "tally_by_age_band",
    expected: "SELECT age_band, count(*)::bigint FROM votes GROUP BY age_band",
    actual: "SELECT age_band, votes FROM tally_by_age_band",
  },
  {
    table: "votes_per_minute",
    expected: `SELECT date_trunc('minute', cast_at AT TIME ZONE 'UTC'), count(*)::bigint
               FROM votes GROUP BY 1`,
    actual: "SELECT minute_start, votes FROM votes_per_minute",
  },
  {
    table: "leader_by_state",
    expected: `SELECT DISTINCT ON (s.state) s.state, s.candidate_id, c.name, c.party, s.votes
               FROM (SELECT state, candidate_id, count(*)::bigint AS votes FROM votes GROUP BY 1, 2) s
               JOIN candidates c USING (candidate_id)
               ORDER BY s.state, s.votes DESC, s.candidate_id COLLATE "C" ASC`,
    actual: "SELECT state, candidate_id, candidate_name, party, votes FROM leader_by_state",
  },
];

export interface TableVerdict {
  readonly table: string;
  /** Rows of the ledger's figure that the result table lacks or has with other values. */
  readonly missing: number;
  /** Rows of the result table that the ledger's figure does not have. */
  readonly extra: number;
}

export interface Certification {
  readonly match: boolean;
  /** Votes in the ledger. */
  readonly votes: number;
  /** Votes in the streamed tally per candidate. */
  readonly tallied: number;
  readonly tables: readonly TableVerdict[];
}

export async function certify(db: pg.Pool | pg.ClientBase): Promise<Certification> {
  // Each side is computed once and compared both ways; given a pool, the tables are checked at once.
  const tables = await Promise.all(
    tallyChecks.map(async (check): Promise<TableVerdict> => {
      const { rows } = await db.query<{ missing: string; extra: string }>(
        `WITH expected AS MATERIALIZED (${check.expected}), actual AS MATERIALIZED (${check.actual})
         SELECT (SELECT count(*) FROM (TABLE expected EXCEPT TABLE actual) AS m) AS missing,
                (SELECT count(*) FROM (TABLE actual EXCEPT TABLE expected) AS e) AS extra`,
      );
      return { table: check.table, missing: Number(rows[0]?.missing), extra: Number(rows[0]?.extra) };
    }),
  );
  const { rows } = await db.query<{ votes: string; tallied: string }>(
    `SELECT (SELECT count(*) FROM votes) AS votes,
            (SELECT coalesce(sum(votes), 0) FROM tally_by_candidate) AS tallied`,
  );
  return {
    match: tables.every((t) => t.missing === 0 && t.extra === 0),
    votes: Number(rows[0]?.votes),
    tallied: Number(rows[0]?.tallied),
    tables,
  };
}

/** The certification line the demo and the benchmark end with. */
export function certificationLine(c: Certification): string {
  if (c.match) return `certification: MATCH votes=${c.votes}`;
  const diff = c.tables
    .filter((t) => t.missing > 0 || t.extra > 0)
    .map((t) => `${t.table}(missing=${t.missing},extra=${t.extra})`)
    .join(",");
  return `certification: MISMATCH votes=${c.votes} diff=tallied:${c.tallied - c.votes},${diff}`;
}
