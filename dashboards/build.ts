import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../versions.js";
import { electionDashboard } from "./election/dashboard.js";
import { toJson, type DashboardJson } from "./model.js";
import { operationsDashboard } from "./operations/dashboard.js";
import { dashboardProblems } from "./validate.js";

/** Where `make dashboards` writes <uid>.json; cdk8s/lib/grafana.ts mounts every file found there. */
export const buildDir = join(repoRoot, "dashboards", "build");

export function allDashboards(): DashboardJson[] {
  return [electionDashboard(), operationsDashboard()].map(toJson);
}

/**
 * Writes every dashboard as <uid>.json and removes any other JSON an earlier build left, so a renamed
 * dashboard leaves no stale file behind for cdk8s to pick up. Each file is replaced by a rename, so
 * the cdk8s app, reading the directory at the same time, sees a whole file or the previous one.
 * Refuses to write an invalid dashboard.
 */
export function writeDashboards(dir = buildDir): string[] {
  const dashboards = allDashboards();
  for (const d of dashboards) {
    const problems = dashboardProblems(d);
    if (problems.length > 0) throw new Error(`dashboard ${d.uid}:\n  ${problems.join("\n  ")}`);
  }
  mkdirSync(dir, { recursive: true });
  const files = dashboards.map((d) => {
    const file = join(dir, `${d.uid}.json`);
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, `${JSON.stringify(d, null, 2)}\n`);
    renameSync(partial, file);
    return file;
  });
  for (const f of readdirSync(dir)) {
    if (f.endsWith(".json") && !files.includes(join(dir, f))) rmSync(join(dir, f));
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of writeDashboards()) console.log(`dashboards: wrote ${file}`);
}
