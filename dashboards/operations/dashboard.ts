import * as common from "@grafana/grafana-foundation-sdk/common";
import {
  DashboardBuilder,
  DashboardCursorSync,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type Dashboard,
} from "@grafana/grafana-foundation-sdk/dashboard";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { prometheusDatasource } from "../datasources.js";
import { finishPanels, promTargets, type PromTarget } from "../panels.js";
import { electionVariableQuery, operationsQueries as q } from "./queries.js";

export const OPERATIONS_UID = "livetally-operations";

/**
 * The elections the services' panels show: every one by default, so the dashboard opens on the whole
 * platform. All is `.*` rather than the listed elections, so an election that has just started shows
 * before the list is refreshed.
 */
function electionVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder("election")
    .label("Election")
    .datasource(prometheusDatasource)
    .query(electionVariableQuery)
    .definition(electionVariableQuery)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(".*")
    .current({ selected: true, text: ["All"], value: ["$__all"] });
}

function graph(
  title: string,
  targets: readonly PromTarget[],
  unit: string,
  width: number,
): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title(title)
    .targets(promTargets(targets))
    .unit(unit)
    .min(0)
    .fillOpacity(10)
    .span(width)
    .height(8);
}

/**
 * A health number, coloured by whether a healthy platform shows zero (under-replicated partitions,
 * say), a positive count (brokers online) or exactly one (controller replicas leading).
 */
function health(
  title: string,
  targets: readonly PromTarget[],
  healthy: "zero" | "positive" | "one",
): stat.PanelBuilder {
  const red = (value: number | null) => ({ value, color: "red" });
  const green = (value: number | null) => ({ value, color: "green" });
  const steps =
    healthy === "zero"
      ? [green(null), red(1)]
      : healthy === "positive"
        ? [red(null), green(1)]
        : [red(null), green(1), red(2)];
  return new stat.PanelBuilder()
    .title(title)
    .targets(promTargets(targets))
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
    .thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps))
    .colorMode(common.BigValueColorMode.Background)
    .graphMode(common.BigValueGraphMode.None)
    .noValue("no data")
    .span(4)
    .height(4);
}

export function operationsDashboard(): Dashboard {
  const builder = new DashboardBuilder("livetally — operations")
    .uid(OPERATIONS_UID)
    .description(
      "Throughput, latency and health of the election services (by election), the Election controller, Flink, PostgreSQL and Kafka.",
    )
    .tags(["livetally", "operations"])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: "now-30m", to: "now" })
    .timezone("utc")
    .refresh("10s")
    .withVariable(electionVariable())
    .withRow(new RowBuilder("Election services"))
    .withPanel(graph("Votes per second", q.votes, "ops", 8))
    .withPanel(graph("Voting batch latency", q.batchLatency, "s", 8))
    .withPanel(graph("Voters registered per second", q.votersRegistered, "ops", 8))
    .withPanel(graph("Consumer lag per group", q.consumerLag, "short", 24))
    .withRow(new RowBuilder("Election controller"))
    .withPanel(health("Replicas leading", q.controllerLeaders, "one"))
    .withPanel(graph("Elections by phase", q.controllerPhases, "short", 10).height(4))
    .withPanel(graph("Election keys queued", q.controllerQueue, "short", 10).height(4))
    .withPanel(graph("Reconciles per second", q.controllerReconciles, "ops", 8))
    .withPanel(graph("Reconcile duration", q.controllerDuration, "s", 8))
    .withPanel(graph("Watches restarted", q.controllerWatchRestarts, "short", 8))
    .withRow(new RowBuilder("Flink tally job"))
    .withPanel(graph("Records in / out per second", q.flinkRecords, "ops", 12))
    .withPanel(graph("Backpressure and busy time", q.backpressure, "ms", 12))
    .withPanel(graph("Last checkpoint duration", q.checkpointDuration, "ms", 12))
    .withPanel(graph("Checkpoints completed and failed", q.checkpointFailures, "short", 12))
    .withPanel(graph("Records rejected by the checks, by reason", q.rejectedRecords, "short", 24))
    .withRow(new RowBuilder("PostgreSQL"))
    .withPanel(graph("Connections by state", q.postgresConnections, "short", 12))
    .withPanel(graph("Transactions per second", q.postgresTransactions, "ops", 12))
    .withRow(new RowBuilder("Kafka brokers"))
    .withPanel(health("Brokers online", q.kafkaBrokersOnline, "positive"))
    .withPanel(health("Active controllers", q.kafkaActiveControllers, "positive"))
    .withPanel(health("Under-replicated partitions", q.kafkaUnderReplicated, "zero"))
    .withPanel(health("Partitions under min ISR", q.kafkaUnderMinIsr, "zero"))
    .withPanel(health("Offline partitions", q.kafkaOffline, "zero"))
    .withPanel(health("Partition replicas", q.kafkaReplicas, "positive"));
  return finishPanels(builder.build());
}
