import { createServer } from "node:net";
import { SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allDashboards } from "../../dashboards/build.js";
import { ELECTION_UID } from "../../dashboards/election/dashboard.js";
import { electionVariableSql } from "../../dashboards/election/queries.js";
import { interpolateTopic } from "../../dashboards/kafka-datasource.js";
import { kafkaTargets, type DashboardJson } from "../../dashboards/model.js";
import { applyTransformations, type Row } from "../../dashboards/transformations.js";
import { loadElection, withOverrides } from "../../local/election/document.js";
import { runElection, type ElectionRunResult } from "../../local/election/run.js";
import { endpoints } from "../../local/endpoints.js";
import { cancelTallyJobs } from "../../local/tally-job.js";
import { pollUntil } from "../../producers/runtime/waiting.js";
import { electionNames } from "../../schemas/election/names.js";
import { readAsPanel } from "./support/kafka-panel-reader.js";

/**
 * Election night's live row against the real engines. After a real election on the local stack, each
 * Kafka panel's topic is read exactly as the panel is configured to, everything taken from the
 * generated dashboard: the topic with the election variable set to the election (its text, as the
 * variable's own query gives it), the partitions and offset mode, Avro decoded through the registry
 * as the plugin decodes it; then the panel's own transformations give the rows it shows. Those rows
 * must be the election's ledger: every candidate's votes, every state's registered voters, votes and
 * turnout.
 */
const election = withOverrides(loadElection(), {
  name: "kafka-panels-test",
  voters: 2_000,
  seed: 1818,
  rateLimit: 0,
});
const names = electionNames(election.metadata.name);

const dashboard = allDashboards().find((d) => d.uid === ELECTION_UID) as DashboardJson;
const panels = kafkaTargets(dashboard).map(({ panel, target }) => ({
  title: panel.title ?? "",
  panel,
  target,
}));

const ep = endpoints();
const kafka = new Kafka({
  clientId: "kafka-panels-test",
  brokers: [...ep.kafkaBrokers],
  logLevel: logLevel.NOTHING,
});
const registry = new SchemaRegistry({ host: ep.registryUrl });
let ledger: pg.Pool;
let result: ElectionRunResult;
/** The election variable's text for this election: what `${election:text}` becomes. */
let variableText: string;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** What a panel shows now: its topic read as it reads it, through its transformations. */
async function shown(panel: (typeof panels)[number]): Promise<Row[]> {
  const topic = interpolateTopic(panel.target.topicName ?? "", { election: variableText });
  const rows = await readAsPanel(kafka, registry, panel.target, topic);
  return applyTransformations(rows, panel.panel.transformations ?? []);
}

/** The ledger's figures a panel must show, as rows of the fields it shows. */
const truth: Record<string, () => Promise<Row[]>> = {
  "Votes per candidate (live)": async () =>
    (
      await ledger.query<{ candidate: string; votes: string }>(
        `SELECT c.name AS candidate, count(v.voter_id) AS votes
         FROM candidates c LEFT JOIN votes v USING (candidate_id)
         GROUP BY c.candidate_id, c.name ORDER BY votes DESC, candidate`,
      )
    ).rows.map((r) => ({ candidate: r.candidate, votes: Number(r.votes) })),
  "Turnout by state (live)": async () =>
    (
      await ledger.query<{ state: string; registered: string; votes: string }>(
        `SELECT r.state, r.registered, coalesce(v.votes, 0) AS votes
         FROM (SELECT state, count(*) AS registered FROM voters GROUP BY state) r
         LEFT JOIN (SELECT state, count(*) AS votes FROM votes GROUP BY state) v USING (state)`,
      )
    ).rows.map((r) => ({
      state: r.state,
      registered: Number(r.registered),
      votes: Number(r.votes),
      turnout: Number(r.votes) / Number(r.registered),
    })),
};

/** Rows compared whatever their order and their fields' order: the panels sort, but ties may fall either way. */
const sorted = (rows: readonly Row[]) =>
  rows
    .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))))
    .sort();

beforeAll(async () => {
  result = await runElection({
    election,
    resume: false,
    votingPort: await freePort(),
    registerFirst: true,
    showRegistration: false,
    // The tally job keeps writing its topics until it is cancelled, after the panels are read.
    keepTallyJob: true,
    say: (line) => console.log(`kafka panels: ${line}`),
  });
  ledger = new pg.Pool({
    connectionString: ep.databaseUrl,
    max: 2,
    options: `-c search_path=${names.databaseSchema}`,
  });
  const { rows } = await ledger.query<{ __text: string; __value: string }>(electionVariableSql);
  variableText = rows.find((r) => r.__value === names.databaseSchema)?.__text ?? "";
}, 600_000);

afterAll(async () => {
  await ledger?.end();
  await cancelTallyJobs(election.metadata.name);
});

describe("after a real election", () => {
  it("was certified against its ledger, and the election variable names it", () => {
    expect(result.certification.match).toBe(true);
    expect(result.certification.votes).toBeGreaterThan(0);
    expect(variableText).toBe(election.metadata.name);
  });

  it("the live row has a panel for each aggregated topic, and this test knows what each must show", () => {
    expect(panels.map((p) => interpolateTopic(p.target.topicName ?? "", { election: variableText }))).toEqual(
      [names.topics.votesPerCandidate.name, names.topics.turnoutByLocation.name],
    );
    expect(Object.keys(truth).sort()).toEqual(panels.map((p) => p.title).sort());
  });

  it.each(panels)("$title, read as it is configured to, shows the ledger's figures", async (panel) => {
    const expected = await truth[panel.title]?.();
    expect(expected?.length).toBeGreaterThan(1);
    // The tally job writes its topics as it writes PostgreSQL; its last records may still be on their way.
    let last: Row[] = [];
    await pollUntil(
      async () => {
        last = await shown(panel);
        return JSON.stringify(sorted(last)) === JSON.stringify(sorted(expected ?? [])) ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 2_000, what: `${panel.title} to show the ledger` },
    ).catch(() => undefined);
    expect(sorted(last)).toEqual(sorted(expected ?? []));
    // Every field the panel plots or formats is among what it shows.
    const xField = (panel.panel.options as { xField?: string } | undefined)?.xField;
    if (xField) expect(Object.keys(last[0] ?? {})).toContain(xField);
  });
});
