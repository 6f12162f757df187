import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { ElectionNames } from "../schemas/election/names.js";
import { repoRoot } from "../versions.js";

export const SQL_DIR = join(repoRoot, "flink-sql", "sql");

/** The file names of the job's scripts in the order they run: sources, sinks, checks, then the tallies. */
export function sqlScriptNames(): string[] {
  return readdirSync(SQL_DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort();
}

/** The job's scripts, as paths, in the order they run. */
export function sqlScripts(): string[] {
  return sqlScriptNames().map((f) => join(SQL_DIR, f));
}

/**
 * The placeholders of the scripts that say which election the job tallies: its job and group names and
 * its topics (schemas/election/names.ts). The job's database schema travels in JDBC_URL.
 */
export function electionSqlEnvironment(names: ElectionNames): Record<string, string> {
  return {
    TALLY_JOB: names.tallyJob,
    TALLY_GROUP: names.tallyGroup,
    VOTES_TOPIC: names.topics.votes.name,
    VOTERS_TOPIC: names.topics.voters.name,
    VOTES_PER_CANDIDATE_TOPIC: names.topics.votesPerCandidate.name,
    TURNOUT_BY_LOCATION_TOPIC: names.topics.turnoutByLocation.name,
  };
}

/** A JDBC URL whose connections use the election's schema, as the job's sinks and lookups must. */
export function electionJdbcUrl(jdbcUrl: string, names: ElectionNames): string {
  const separator = jdbcUrl.includes("?") ? "&" : "?";
  return `${jdbcUrl}${separator}currentSchema=${names.databaseSchema}`;
}
