import * as barchart from "@grafana/grafana-foundation-sdk/barchart";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as table from "@grafana/grafana-foundation-sdk/table";
import { electionNames } from "../../schemas/election/names.js";
import { KafkaQueryBuilder, type TopicRead } from "../kafka-datasource.js";
import { refId } from "../panels.js";
import { byName, type Transformation } from "../transformations.js";

/**
 * The live row of election night: the election's aggregated topics, which the tally job keeps up to
 * date within a second, streamed by the Kafka data source. Each panel shows the latest value of every
 * key it has read, as a reader of a compacted topic keeps it.
 */

/**
 * Grafana keeps the last 1000 rows of a stream (Grafana Live's default buffer, which the plugin does not
 * change), so the panels read the last 1000 offsets of each partition: anything older would be dropped.
 * lastN rather than earliest also because the plugin gives a lastN stream to each page load, while an
 * earliest stream is shared by every viewer of the topic, and a viewer joining it later sees new records
 * only.
 */
export const LIVE_ROWS = 1000;

/** The topics of the election the variable shows: its text is the election's name, its value its schema. */
const shown = electionNames("${election:text}").topics;

export const liveReads = {
  votesPerCandidate: { topic: shown.votesPerCandidate.name, offsets: { mode: "lastN", lastN: LIVE_ROWS } },
  turnoutByLocation: { topic: shown.turnoutByLocation.name, offsets: { mode: "lastN", lastN: LIVE_ROWS } },
} as const satisfies Record<string, TopicRead>;

const target = (read: TopicRead) => new KafkaQueryBuilder(read).refId(refId(0));

/** Keyed by candidate id; the name and the count of each candidate's latest record. */
const votesPerCandidate: Transformation[] = [
  {
    id: "groupBy",
    options: {
      fields: {
        candidate_id: { operation: "groupby", aggregations: [] },
        candidate_name: { operation: "aggregate", aggregations: ["last"] },
        votes: { operation: "aggregate", aggregations: ["last"] },
      },
    },
  },
  {
    id: "organize",
    options: {
      excludeByName: { candidate_id: true },
      renameByName: { "candidate_name (last)": "candidate", "votes (last)": "votes" },
    },
  },
  { id: "sortBy", options: { sort: [{ field: "votes", desc: true }] } },
];

/**
 * Keyed by state. Turnout is computed from the record's own counts: the record's turnout_pct is an Avro
 * decimal, which the plugin shows as a fraction's text ("2591/50"), not as a number.
 */
const turnoutByLocation: Transformation[] = [
  {
    id: "groupBy",
    options: {
      fields: {
        state: { operation: "groupby", aggregations: [] },
        registered: { operation: "aggregate", aggregations: ["last"] },
        votes: { operation: "aggregate", aggregations: ["last"] },
      },
    },
  },
  {
    id: "organize",
    options: { renameByName: { "registered (last)": "registered", "votes (last)": "votes" } },
  },
  {
    id: "calculateField",
    options: {
      mode: "binary",
      binary: { left: byName("votes"), operator: "/", right: byName("registered") },
      alias: "turnout",
      timeSeries: false,
      replaceFields: false,
    },
  },
  { id: "sortBy", options: { sort: [{ field: "turnout", desc: true }] } },
];

/** Grafana interpolates the variable in a description too. */
const liveNote = (read: TopicRead) =>
  `Streamed from ${read.topic}: the latest record of each key among its last ${LIVE_ROWS} offsets. The panels below are PostgreSQL's.`;

export function liveVotesPerCandidate(): barchart.PanelBuilder {
  const builder = new barchart.PanelBuilder()
    .title("Votes per candidate (live)")
    .description(liveNote(liveReads.votesPerCandidate))
    .withTarget(target(liveReads.votesPerCandidate))
    .xField("candidate")
    .showValue(common.VisibilityMode.Auto)
    .span(12)
    .height(9);
  for (const t of votesPerCandidate) builder.withTransformation(t);
  return builder;
}

export function liveTurnoutByLocation(): table.PanelBuilder {
  const builder = new table.PanelBuilder()
    .title("Turnout by state (live)")
    .description(liveNote(liveReads.turnoutByLocation))
    .withTarget(target(liveReads.turnoutByLocation))
    .overrideByName("turnout", [
      { id: "unit", value: "percentunit" },
      { id: "decimals", value: 2 },
    ])
    .span(12)
    .height(9);
  for (const t of turnoutByLocation) builder.withTransformation(t);
  return builder;
}
