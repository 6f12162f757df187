import { defaultDashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { knownDatasources } from "./datasources.js";
import { allPanels, type DashboardJson } from "./model.js";

/**
 * What the SDK's dashboard schema requires of a generated dashboard at run time. The SDK (0.0.21)
 * ships TypeScript types and builders, no JSON Schema: the builders type-check every field at compile
 * time, and this checks what types cannot: the schema version the SDK targets, the fields its
 * Dashboard type requires, ids, the 24-column grid and the datasources Grafana is provisioned with.
 */
export const GRID_COLUMNS = 24;

/** The visualizations the dashboards may use: core panels the SDK has builders for, and rows. */
export const panelTypes = new Set(["row", "stat", "table", "barchart", "piechart", "timeseries"]);

export function dashboardProblems(d: DashboardJson): string[] {
  const problems: string[] = [];
  const sdk = defaultDashboard();
  if (d.schemaVersion !== sdk.schemaVersion) {
    problems.push(`schemaVersion ${String(d.schemaVersion)} is not the SDK's ${sdk.schemaVersion}`);
  }
  for (const key of Object.keys(sdk)) {
    if (!(key in d)) problems.push(`missing ${key}, which the SDK's Dashboard requires`);
  }
  // Grafana's dashboard UIDs: at most 40 letters, digits, dashes and underscores.
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(d.uid)) problems.push(`uid ${d.uid} is not a valid Grafana UID`);
  if (!d.title) problems.push("no title");

  const knownUids = new Set(knownDatasources.map((s) => s.uid));
  const ids = new Set<number>();
  for (const panel of allPanels(d)) {
    const name = `panel ${String(panel.id)} "${panel.title ?? ""}"`;
    if (typeof panel.id !== "number") problems.push(`${name} has no id`);
    else if (ids.has(panel.id)) problems.push(`${name}: id is not unique`);
    else ids.add(panel.id);
    if (!panelTypes.has(panel.type)) problems.push(`${name}: unknown type ${panel.type}`);
    const g = panel.gridPos;
    if (!g) problems.push(`${name} has no gridPos`);
    else if (g.x < 0 || g.y < 0 || g.w < 1 || g.h < 1 || g.x + g.w > GRID_COLUMNS) {
      problems.push(`${name}: gridPos ${JSON.stringify(g)} is outside the ${GRID_COLUMNS}-column grid`);
    }
    if (panel.type !== "row" && (panel.targets ?? []).length === 0) problems.push(`${name} has no query`);
    const refIds = new Set<string>();
    for (const t of panel.targets ?? []) {
      if (!t.refId || refIds.has(t.refId))
        problems.push(`${name}: refId ${String(t.refId)} missing or repeated`);
      else refIds.add(t.refId);
      const uid = t.datasource?.uid ?? panel.datasource?.uid;
      if (!uid || !knownUids.has(uid)) problems.push(`${name}: datasource ${String(uid)} is not provisioned`);
      if (t.rawSql === undefined && t.expr === undefined && t.topicName === undefined)
        problems.push(`${name}: target ${t.refId} has no query`);
    }
  }
  problems.push(...overlaps(d));
  for (const variable of d.templating.list ?? []) {
    const uid = (variable.datasource as { uid?: string } | undefined)?.uid;
    if (uid !== undefined && !knownUids.has(uid))
      problems.push(`variable ${String(variable.name)}: datasource ${uid}`);
  }
  return problems;
}

/** Panels of the top level that share a grid cell would be drawn over each other. */
function overlaps(d: DashboardJson): string[] {
  const taken = new Map<string, number | undefined>();
  const problems: string[] = [];
  for (const panel of d.panels) {
    const g = panel.gridPos;
    if (!g) continue;
    for (let y = g.y; y < g.y + g.h; y++) {
      for (let x = g.x; x < g.x + g.w; x++) {
        const cell = `${x},${y}`;
        if (taken.has(cell)) {
          problems.push(`panels ${String(taken.get(cell))} and ${String(panel.id)} overlap at ${cell}`);
          return problems;
        }
        taken.set(cell, panel.id);
      }
    }
  }
  return problems;
}
