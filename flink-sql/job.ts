import { readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../versions.js";

export const SQL_DIR = join(repoRoot, "flink-sql", "sql");
/** The job's name, as 10-sources.sql sets it (`pipeline.name`). */
export const JOB_NAME = "livetally-tallies";

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
