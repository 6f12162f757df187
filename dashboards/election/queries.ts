import { DATABASE_SCHEMA_PREFIX } from "../../schemas/election/names.js";
import type { PanelSql } from "../sql-query.js";

/**
 * The SQL of every election-night panel. Each reads only what the read-only role
 * `livetally_dashboard` may read (schemas/migrations/004_dashboard_role.sql, 010): the candidates and
 * the result tables Flink upserts, never the voters or the ledger of votes.
 *
 * Every election keeps its tables in a PostgreSQL schema of its own (schemas/election/names.ts), and
 * Grafana's connection searches none of them: each table is qualified by the election variable, whose
 * value is the schema. `:raw` puts it in as the identifier it is, where the default format would quote it
 * as a string.
 *
 * `${state:sqlstring}` is the state variable as a list of quoted, escaped literals: every state when
 * "All" is selected, since the variable has no custom all value.
 */
const schema = "${election:raw}";
const inStates = "state IN (${state:sqlstring})";

const prefix = `'${DATABASE_SCHEMA_PREFIX}'`;

/**
 * The elections present: every schema with the elections' prefix that the dashboard's login may use,
 * named for the election as electionOfSchema() names it (the prefix off, underscores back to hyphens),
 * with the schema as the value the panels read.
 */
export const electionVariableSql = `SELECT replace(substr(nspname, length(${prefix}) + 1), '_', '-') AS __text,
       nspname AS __value
FROM pg_namespace
WHERE starts_with(nspname, ${prefix}) AND has_schema_privilege(oid, 'USAGE')
ORDER BY __text`;

/** The states of the selected election. */
export const stateVariableSql = `SELECT state FROM ${schema}.turnout_by_state ORDER BY state`;

export const electionQueries = {
  registeredVoters: {
    sql: `SELECT coalesce(sum(registered), 0)::bigint AS registered
FROM ${schema}.turnout_by_state WHERE ${inStates}`,
    columns: ["registered"],
    format: "table",
  },
  votesCast: {
    sql: `SELECT coalesce(sum(votes), 0)::bigint AS votes
FROM ${schema}.turnout_by_state WHERE ${inStates}`,
    columns: ["votes"],
    format: "table",
  },
  turnout: {
    sql: `SELECT coalesce(round(100.0 * sum(votes) / nullif(sum(registered), 0), 2), 0) AS turnout_pct
FROM ${schema}.turnout_by_state WHERE ${inStates}`,
    columns: ["turnout_pct"],
    format: "table",
  },
  candidates: {
    sql: `SELECT count(*)::bigint AS candidates FROM ${schema}.candidates`,
    columns: ["candidates"],
    format: "table",
  },
  // Ties go to the lower candidate id, as in the Flink job's leader per state.
  leader: {
    sql: `WITH ranked AS (
  SELECT c.name, c.party, coalesce(t.votes, 0) AS votes,
         row_number() OVER (ORDER BY coalesce(t.votes, 0) DESC, c.candidate_id COLLATE "C") AS place
  FROM ${schema}.candidates c LEFT JOIN ${schema}.tally_by_candidate t USING (candidate_id)
)
SELECT l.name AS leader, l.party, l.votes, l.votes - coalesce(r.votes, 0) AS margin
FROM ranked l LEFT JOIN ranked r ON r.place = 2
WHERE l.place = 1`,
    columns: ["leader", "party", "votes", "margin"],
    format: "table",
  },
  votesPerCandidate: {
    sql: `SELECT c.name AS candidate, coalesce(t.votes, 0) AS votes
FROM ${schema}.candidates c LEFT JOIN ${schema}.tally_by_candidate t USING (candidate_id)
ORDER BY votes DESC, candidate`,
    columns: ["candidate", "votes"],
    format: "table",
  },
  votesPerParty: {
    sql: `SELECT party, votes FROM ${schema}.tally_by_party ORDER BY votes DESC, party`,
    columns: ["party", "votes"],
    format: "table",
  },
  candidateTable: {
    sql: `SELECT c.photo_url AS photo, c.name AS candidate, c.party, coalesce(t.votes, 0) AS votes,
       coalesce(round(100.0 * coalesce(t.votes, 0) / nullif(sum(t.votes) OVER (), 0), 2), 0) AS share_pct
FROM ${schema}.candidates c LEFT JOIN ${schema}.tally_by_candidate t USING (candidate_id)
ORDER BY votes DESC, candidate`,
    columns: ["photo", "candidate", "party", "votes", "share_pct"],
    format: "table",
  },
  turnoutByState: {
    sql: `SELECT t.state, t.registered, t.votes, t.turnout_pct,
       l.candidate_name AS leader, l.party AS leader_party
FROM ${schema}.turnout_by_state t LEFT JOIN ${schema}.leader_by_state l USING (state)
WHERE t.${inStates}
ORDER BY t.turnout_pct DESC, t.state`,
    columns: ["state", "registered", "votes", "turnout_pct", "leader", "leader_party"],
    format: "table",
  },
  // Long format; the panel pivots it to one column per candidate so each state's bar takes its
  // leader's colour.
  leaderByState: {
    sql: `SELECT state, candidate_name AS leader, votes
FROM ${schema}.leader_by_state WHERE ${inStates}
ORDER BY state`,
    columns: ["state", "leader", "votes"],
    format: "table",
  },
  votesPerMinute: {
    sql: `SELECT $__timeGroupAlias(minute_start, '1m'), sum(votes)::bigint AS votes
FROM ${schema}.votes_per_minute
WHERE $__timeFilter(minute_start)
GROUP BY 1 ORDER BY 1`,
    columns: ["time", "votes"],
    format: "time_series",
  },
  votesByGender: {
    sql: `SELECT gender, votes FROM ${schema}.tally_by_gender ORDER BY gender`,
    columns: ["gender", "votes"],
    format: "table",
  },
  votesByAgeBand: {
    sql: `SELECT age_band, votes FROM ${schema}.tally_by_age_band ORDER BY age_band`,
    columns: ["age_band", "votes"],
    format: "table",
  },
} as const satisfies Record<string, PanelSql>;

export type ElectionQueryName = keyof typeof electionQueries;
