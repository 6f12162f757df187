import * as common from "@grafana/grafana-foundation-sdk/common";
import type { DataSourceRef } from "@grafana/grafana-foundation-sdk/common";
import type { Dashboard, Panel, RowPanel } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import { prometheusDatasource } from "./datasources.js";
import { SqlQueryBuilder, type PanelSql } from "./sql-query.js";

/** The refId Grafana gives the n-th query of a panel: A, B, C… */
export const refId = (index: number): string => String.fromCharCode(65 + index);

/** One SQL query per panel: its target is always refId A. */
export const sqlTarget = (query: PanelSql) => new SqlQueryBuilder(query).refId("A");

/** A PromQL target with the series name shown in the legend. */
export interface PromTarget {
  readonly expr: string;
  readonly legend: string;
}

export function promTargets(targets: readonly PromTarget[]): DataqueryBuilder[] {
  return targets.map((t, i) =>
    new DataqueryBuilder()
      .datasource(prometheusDatasource)
      .expr(t.expr)
      .legendFormat(t.legend)
      .refId(refId(i)),
  );
}

/** A single big number from the first numeric column of one SQL row. */
export function sqlStat(title: string, query: PanelSql, width: number): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(title)
    .withTarget(sqlTarget(query))
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
    .graphMode(common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.None)
    .span(width)
    .height(5);
}

/**
 * Finishes a built dashboard. Panel ids are numbered in reading order: the SDK leaves them unset, and
 * Grafana needs them unique to link to, embed or view one panel; numbering in order keeps them stable
 * across builds. Each panel also names the datasource of its queries, which Grafana otherwise takes
 * to be its default datasource.
 */
export function finishPanels(dashboard: Dashboard): Dashboard {
  let next = 1;
  const finish = (panel: Panel | RowPanel) => {
    panel.id = next++;
    if (panel.type === "row") {
      for (const inner of (panel as RowPanel).panels) finish(inner);
      return;
    }
    const datasource = (panel as Panel).targets?.map(
      (t) => (t as { datasource?: DataSourceRef }).datasource,
    )[0];
    if (datasource) (panel as Panel).datasource = datasource;
  };
  for (const panel of dashboard.panels ?? []) finish(panel);
  return dashboard;
}
