/** The SQL runner (flink-sql/runner): where its jar is built, from what, and what it runs on. */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "../versions.js";
import type { StackContext } from "./engine.js";

export const RUNNER_DIR = join(repoRoot, "flink-sql", "runner");
export const RUNNER_JAR = join(RUNNER_DIR, "target", "livetally-sql-runner-1.0.0.jar");
/** The digest of the runner's sources the jar was built from, beside the jar. */
export const RUNNER_SOURCES = join(RUNNER_DIR, "target", "sources.sha256");

/** A digest of the runner's pom and sources, so a changed source rebuilds the jar. */
export function runnerSourcesDigest(): string {
  const hash = createHash("sha256");
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(relative(RUNNER_DIR, path)).update(readFileSync(path));
    }
  };
  hash.update(readFileSync(join(RUNNER_DIR, "pom.xml")));
  walk(join(RUNNER_DIR, "src"));
  return hash.digest("hex");
}

/** Flink's classpath: the runtime, the SQL planner and the connectors the job needs. */
export function flinkLibDir(ctx: StackContext): string {
  return join(ctx.settings.cacheDir, `flink-${ctx.versions.FLINK_VERSION}`, "lib");
}
