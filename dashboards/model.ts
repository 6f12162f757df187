import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { kafkaDatasource, postgresDatasource, prometheusDatasource } from "./datasources.js";

/**
 * Reading the generated dashboard JSON back, so that tests reach every panel and every query the
 * dashboards really contain rather than a list kept beside them.
 */
export interface JsonPanel {
  readonly id?: number;
  readonly type: string;
  readonly title?: string;
  readonly gridPos?: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly targets?: readonly JsonTarget[];
  readonly panels?: readonly JsonPanel[];
  readonly transformations?: readonly { readonly id: string; readonly options: unknown }[];
  readonly options?: Readonly<Record<string, unknown>>;
}

export interface JsonTarget {
  readonly refId?: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly rawSql?: string;
  readonly format?: string;
  readonly expr?: string;
  readonly legendFormat?: string;
  /** A Kafka data source query's topic and the rest of its model (kafka-datasource.ts). */
  readonly topicName?: string;
  readonly [field: string]: unknown;
}

/** The dashboard as Grafana receives it: plain JSON. */
export type DashboardJson = Record<string, unknown> & {
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly JsonPanel[];
  readonly templating: { readonly list?: readonly Record<string, unknown>[] };
};

export const toJson = (dashboard: Dashboard): DashboardJson =>
  JSON.parse(JSON.stringify(dashboard)) as DashboardJson;

/** Every panel, rows' inner panels included, in reading order. */
export function allPanels(dashboard: DashboardJson): JsonPanel[] {
  const out: JsonPanel[] = [];
  const visit = (panel: JsonPanel) => {
    out.push(panel);
    for (const inner of panel.panels ?? []) visit(inner);
  };
  for (const panel of dashboard.panels) visit(panel);
  return out;
}

export interface PanelTarget {
  readonly panel: JsonPanel;
  readonly target: JsonTarget;
}

function targetsOf(dashboard: DashboardJson, uid: string): PanelTarget[] {
  return allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? [])
      .filter((t) => (t.datasource?.uid ?? panel.datasource?.uid) === uid)
      .map((target) => ({ panel, target })),
  );
}

export const sqlTargets = (d: DashboardJson) => targetsOf(d, postgresDatasource.uid);
export const promTargetsOf = (d: DashboardJson) => targetsOf(d, prometheusDatasource.uid);
export const kafkaTargets = (d: DashboardJson) => targetsOf(d, kafkaDatasource.uid);

const PROMQL_WORDS = new Set([
  "sum",
  "min",
  "max",
  "avg",
  "count",
  "stddev",
  "stdvar",
  "topk",
  "bottomk",
  "quantile",
  "count_values",
  "group",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "and",
  "or",
  "unless",
  "offset",
  "inf",
  "nan",
]);

/**
 * The metric names a PromQL expression selects: identifiers that are neither functions (followed by
 * a parenthesis), aggregation keywords, label names (in braces or in by/without lists), strings nor
 * range durations.
 */
export function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, " ")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\()/g)) {
    const word = m[0];
    const end = (m.index ?? 0) + word.length;
    // A shorter match of a function's name (`histogram_quantil` of `histogram_quantile(`) is no name.
    if (/^[a-zA-Z0-9_:]/.test(stripped.slice(end, end + 1))) continue;
    if (!PROMQL_WORDS.has(word.toLowerCase())) names.add(word);
  }
  return [...names];
}
