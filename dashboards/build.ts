import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
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
 * Writes every dashboard as <uid>.json, replacing what an earlier build left, so a renamed dashboard
 * leaves no stale file behind for cdk8s to pick up. Refuses to write an invalid dashboard.
 */
export function writeDashboards(dir = buildDir): string[] {
  const dashboards = allDashboards();
  for (const d of dashboards) {
    const problems = dashboardProblems(d);
    if (problems.length > 0) throw new Error(`dashboard ${d.uid}:\n  ${problems.join("\n  ")}`);
  }
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.endsWith(".json")) rmSync(join(dir, f));
  return dashboards.map((d) => {
    const file = join(dir, `${d.uid}.json`);
    writeFileSync(file, `${JSON.stringify(d, null, 2)}\n`);
    return file;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of writeDashboards()) console.log(`dashboards: wrote ${file}`);
}
