import * as barchart from "@grafana/grafana-foundation-sdk/barchart";
import * as common from "@grafana/grafana-foundation-sdk/common";
import {
  DashboardBuilder,
  DashboardCursorSync,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
  type Dashboard,
} from "@grafana/grafana-foundation-sdk/dashboard";
import * as piechart from "@grafana/grafana-foundation-sdk/piechart";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { postgresDatasource } from "../datasources.js";
import { finishPanels, sqlStat, sqlTarget } from "../panels.js";
import type { PanelSql } from "../sql-query.js";
import { liveTurnoutByLocation, liveVotesPerCandidate } from "./live.js";
import { electionQueries as q, electionVariableSql, stateVariableSql } from "./queries.js";

export const ELECTION_UID = "livetally-election-night";

/**
 * The election shown, one at a time: its name shown, its PostgreSQL schema the value every panel reads
 * its tables from. Grafana selects the first when none is chosen.
 */
function electionVariable(): QueryVariableBuilder {
  return (
    new QueryVariableBuilder("election")
      .label("Election")
      .datasource(postgresDatasource)
      .query(electionVariableSql)
      .definition(electionVariableSql)
      .refresh(VariableRefresh.OnDashboardLoad)
      .sort(VariableSort.AlphabeticalAsc)
      // The value goes into the SQL as a schema name: only the elections listed.
      .allowCustomValue(false)
  );
}

/** Every state of the selected election's results; "All" by default, several may be picked. */
function stateVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder("state")
    .label("State")
    .datasource(postgresDatasource)
    .query(stateVariableSql)
    .definition(stateVariableSql)
    .refresh(VariableRefresh.OnDashboardLoad)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .current({ selected: true, text: ["All"], value: ["$__all"] });
}

/** The leader's name, party, votes and margin over the runner-up, as one row of text and numbers. */
function leaderPanel(): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title("Leader")
    .description("The candidate with the most votes, and their lead over the runner-up.")
    .withTarget(sqlTarget(q.leader))
    .reduceOptions(new common.ReduceDataOptionsBuilder().values(true).fields("/.*/").calcs(["lastNotNull"]))
    .textMode(common.BigValueTextMode.ValueAndName)
    .graphMode(common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.None)
    .span(8)
    .height(5);
}

/** Bars of one numeric column against a label column. */
function bars(title: string, query: PanelSql, xField: string, width: number): barchart.PanelBuilder {
  return new barchart.PanelBuilder()
    .title(title)
    .withTarget(sqlTarget(query))
    .xField(xField)
    .showValue(common.VisibilityMode.Auto)
    .span(width)
    .height(9);
}

/** A donut of the shares of one numeric column. */
function donut(title: string, query: PanelSql, width: number): piechart.PanelBuilder {
  return new piechart.PanelBuilder()
    .title(title)
    .withTarget(sqlTarget(query))
    .pieType(piechart.PieChartType.Donut)
    .reduceOptions(new common.ReduceDataOptionsBuilder().values(true).calcs(["lastNotNull"]).fields(""))
    .displayLabels([piechart.PieChartLabels.Percent])
    .span(width)
    .height(9);
}

function candidateTable(): table.PanelBuilder {
  return new table.PanelBuilder()
    .title("Candidates")
    .withTarget(sqlTarget(q.candidateTable))
    .overrideByName("photo", [
      { id: "custom.cellOptions", value: { type: common.TableCellDisplayMode.Image } },
      { id: "custom.width", value: 80 },
      { id: "links", value: [{ title: "Photo", url: "${__value.raw}", targetBlank: true }] },
    ])
    .overrideByName("share_pct", [{ id: "unit", value: "percent" }])
    .span(24)
    .height(8);
}

/** Sortable by any header, paginated, largest turnout first. */
function turnoutTable(): table.PanelBuilder {
  return new table.PanelBuilder()
    .title("Turnout by state")
    .withTarget(sqlTarget(q.turnoutByState))
    .footer(new common.TableFooterOptionsBuilder().show(false).reducer(["sum"]).enablePagination(true))
    .sortBy([new common.TableSortByFieldStateBuilder().displayName("turnout_pct").desc(true)])
    .overrideByName("turnout_pct", [{ id: "unit", value: "percent" }])
    .span(14)
    .height(12);
}

/**
 * The leader's votes in each state, one column per candidate after pivoting, stacked: each state's bar
 * has its leader's colour and the legend names the candidates.
 */
function leaderByStateBars(): barchart.PanelBuilder {
  return new barchart.PanelBuilder()
    .title("Leading candidate by state")
    .withTarget(sqlTarget(q.leaderByState))
    .withTransformation({
      id: "groupingToMatrix",
      options: { rowField: "state", columnField: "leader", valueField: "votes", emptyValue: "null" },
    })
    .xField("state\\leader")
    .stacking(common.StackingMode.Normal)
    .orientation(common.VizOrientation.Horizontal)
    .span(10)
    .height(12);
}

function votesPerMinute(): timeseries.PanelBuilder {
  return new timeseries.PanelBuilder()
    .title("Votes per minute")
    .withTarget(sqlTarget(q.votesPerMinute))
    .drawStyle(common.GraphDrawStyle.Bars)
    .fillOpacity(60)
    .span(12)
    .height(9);
}

export function electionDashboard(): Dashboard {
  const builder = new DashboardBuilder("livetally — election night")
    .uid(ELECTION_UID)
    .description(
      "Live results of one election: streamed from the tally job's Kafka topics, and from the tallies it writes to PostgreSQL, read as livetally_dashboard.",
    )
    .tags(["livetally", "election"])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: "now-1h", to: "now" })
    .timezone("utc")
    .refresh("5s")
    // The state variable reads the selected election's states, so it comes after it.
    .withVariable(electionVariable())
    .withVariable(stateVariable())
    .withRow(new RowBuilder("Overview"))
    .withPanel(sqlStat("Registered voters", q.registeredVoters, 4))
    .withPanel(sqlStat("Votes cast", q.votesCast, 4))
    .withPanel(sqlStat("Turnout", q.turnout, 4).unit("percent").decimals(2))
    .withPanel(sqlStat("Candidates", q.candidates, 4))
    .withPanel(leaderPanel())
    // Not filtered by state: a stream has no query to filter, and the topics hold every state.
    .withRow(new RowBuilder("Live from the tally topics"))
    .withPanel(liveVotesPerCandidate())
    .withPanel(liveTurnoutByLocation())
    .withRow(new RowBuilder("Candidates"))
    .withPanel(bars("Votes per candidate", q.votesPerCandidate, "candidate", 8))
    .withPanel(donut("Share of the vote", q.votesPerCandidate, 8))
    .withPanel(donut("Share by party", q.votesPerParty, 8))
    .withPanel(candidateTable())
    .withRow(new RowBuilder("States"))
    .withPanel(turnoutTable())
    .withPanel(leaderByStateBars())
    .withRow(new RowBuilder("Over time and by voter"))
    .withPanel(votesPerMinute())
    .withPanel(donut("Votes by gender", q.votesByGender, 6))
    .withPanel(bars("Votes by age band", q.votesByAgeBand, "age_band", 6));
  return finishPanels(builder.build());
}
