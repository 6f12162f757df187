import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ELECTION_LABEL, metricNames as serviceMetricNames } from "../producers/runtime/metric-names.js";
import { createMetrics } from "../producers/runtime/metrics.js";
import { DATABASE_SCHEMA_PREFIX, databaseSchema, electionNames } from "../schemas/election/names.js";
import { repoRoot } from "../versions.js";
import { allDashboards, writeDashboards } from "./build.js";
import { postgresDatasource, prometheusDatasource } from "./datasources.js";
import { ELECTION_UID } from "./election/dashboard.js";
import { LIVE_ROWS } from "./election/live.js";
import { electionQueries, electionVariableSql, stateVariableSql } from "./election/queries.js";
import { renderSql } from "./macros.js";
import {
  allPanels,
  kafkaTargets,
  metricNames,
  promTargetsOf,
  sqlTargets,
  type DashboardJson,
} from "./model.js";
import { documentedExporterMetricNames } from "./operations/exporter-metrics.js";
import { OPERATIONS_UID } from "./operations/dashboard.js";
import { createControllerMetrics } from "../controller/metrics.js";
import type { Registry } from "prom-client";
import { electionVariableQuery } from "./operations/queries.js";
import { applyTransformations, type GroupByOptions } from "./transformations.js";
import { dashboardProblems } from "./validate.js";

const dashboards = allDashboards();
const byUid = (uid: string) => dashboards.find((d) => d.uid === uid) as DashboardJson;
const election = byUid(ELECTION_UID);
const operations = byUid(OPERATIONS_UID);

/** The tables migration 004 lets the dashboard role read. */
function grantedTables(): Set<string> {
  const sql = readFileSync(join(repoRoot, "schemas", "migrations", "004_dashboard_role.sql"), "utf8");
  const grant = /GRANT SELECT ON ([\s\S]*?) TO livetally_dashboard/.exec(sql);
  return new Set((grant?.[1] ?? "").split(",").map((t) => t.trim()));
}

/** Tables a query reads, as written: names after FROM or JOIN that no WITH clause defines. */
function tablesRead(sql: string): string[] {
  const ctes = new Set([...sql.matchAll(/(?:WITH|,)\s*(\w+)\s+AS\s*\(/gi)].map((m) => m[1]));
  return [...sql.matchAll(/\b(?:FROM|JOIN)\s+([\w.${}:]+)/gi)]
    .map((m) => m[1] as string)
    .filter((t) => !ctes.has(t));
}

/** A table of the election the variable selects: its schema is the variable's value. */
const ELECTION_TABLE = /^\$\{election:raw\}\.(\w+)$/;

const variableOf = (d: DashboardJson, name: string) => d.templating.list?.find((v) => v.name === name);

/** The series names a registry exposes, histograms' _bucket, _sum and _count included. */
async function seriesNames(registry: Registry): Promise<Set<string>> {
  const names = new Set<string>();
  for (const metric of await registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === "histogram")
      for (const s of ["_bucket", "_sum", "_count"]) names.add(metric.name + s);
  }
  return names;
}

const registeredNames = () => seriesNames(createMetrics("general-2026").registry);
const controllerNames = () => seriesNames(createControllerMetrics().registry);

describe("both dashboards", () => {
  it("are valid for the SDK's dashboard schema: version, required fields, ids, grid, datasources", () => {
    expect(dashboards.map((d) => d.uid).sort()).toEqual([ELECTION_UID, OPERATIONS_UID].sort());
    for (const d of dashboards) expect(dashboardProblems(d), d.uid).toEqual([]);
  });

  it("build to the same JSON every time, so provisioning them again changes nothing", () => {
    expect(JSON.stringify(allDashboards())).toBe(JSON.stringify(dashboards));
  });

  it("are written as <uid>.json, replacing stale files", () => {
    const dir = mkdtempSync(join(tmpdir(), "dashboards-"));
    writeFileSync(join(dir, "renamed-dashboard.json"), "{}");
    writeDashboards(dir);
    expect(readdirSync(dir).sort()).toEqual([`${ELECTION_UID}.json`, `${OPERATIONS_UID}.json`]);
    const written = JSON.parse(readFileSync(join(dir, `${ELECTION_UID}.json`), "utf8")) as unknown;
    expect(written).toEqual(election);
    rmSync(dir, { recursive: true });
  });
});

describe("the structural check", () => {
  const broken = (change: (d: Record<string, unknown>) => void) => {
    const copy = structuredClone(election) as unknown as Record<string, unknown>;
    change(copy);
    return dashboardProblems(copy as unknown as DashboardJson);
  };
  type Panels = {
    id: number;
    gridPos: { x: number; w: number };
    targets?: { datasource: { uid: string } }[];
  }[];

  it("finds repeated ids, panels off the grid or on each other, unknown datasources and schema versions", () => {
    expect(broken((d) => ((d.panels as Panels)[2]!.id = 2))).toContainEqual(
      expect.stringMatching(/not unique/),
    );
    expect(broken((d) => ((d.panels as Panels)[1]!.gridPos.x = 22))).toContainEqual(
      expect.stringMatching(/outside the 24-column grid/),
    );
    expect(broken((d) => ((d.panels as Panels)[2]!.gridPos.x = 2))).toContainEqual(
      expect.stringMatching(/overlap/),
    );
    expect(broken((d) => ((d.panels as Panels)[1]!.targets![0]!.datasource.uid = "other"))).toContainEqual(
      expect.stringMatching(/not provisioned/),
    );
    expect(broken((d) => (d.schemaVersion = 39))).toContainEqual(expect.stringMatching(/schemaVersion/));
    expect(broken((d) => (d.uid = "a uid with spaces"))).toContainEqual(expect.stringMatching(/not a valid/));
  });
});

describe("election night", () => {
  it("shows one election at a time, chosen among the elections' schemas listed by name", () => {
    const variable = variableOf(election, "election");
    expect(variable).toMatchObject({
      type: "query",
      multi: false,
      includeAll: false,
      allowCustomValue: false,
      query: electionVariableSql,
    });
    expect(variable?.datasource).toEqual(postgresDatasource);
    // Grafana takes a row's __text as what it shows and its __value as what it puts in the queries.
    expect(electionVariableSql).toMatch(/ AS __text,/);
    expect(electionVariableSql).toMatch(/\bnspname AS __value\b/);
    expect(electionVariableSql).toContain(`starts_with(nspname, '${DATABASE_SCHEMA_PREFIX}')`);
    expect(electionVariableSql).toMatch(/\bFROM pg_namespace\b/);
    expect(electionVariableSql).toMatch(/ORDER BY __text$/);
  });

  it("refreshes every 5 s and filters by a multi-value state variable of the election that defaults to all", () => {
    expect(election.refresh).toBe("5s");
    const state = variableOf(election, "state");
    expect(state).toMatchObject({ multi: true, includeAll: true, query: stateVariableSql });
    expect(state?.datasource).toEqual(postgresDatasource);
    expect(tablesRead(stateVariableSql)).toEqual(["${election:raw}.turnout_by_state"]);
    // Grafana refreshes a variable when one it uses changes; it must be defined after that one.
    const names = (election.templating.list ?? []).map((v) => v.name);
    expect(names.indexOf("election")).toBeLessThan(names.indexOf("state"));
  });

  it("reads every table of every panel from the selected election's schema", () => {
    for (const { panel, target } of sqlTargets(election)) {
      const tables = tablesRead(target.rawSql ?? "");
      expect(tables.length, panel.title).toBeGreaterThan(0);
      for (const table of tables) expect(table, `${panel.title}: ${table}`).toMatch(ELECTION_TABLE);
    }
  });

  it("renders, as Grafana would, to SQL naming the chosen election's schema and no variable", () => {
    const schema = databaseSchema("city-council");
    const variables = { election: [schema], state: ["Old Town", "Hawke's Bay"] };
    const ctx = { from: new Date(0), to: new Date(), variables };
    for (const sql of [stateVariableSql, ...sqlTargets(election).map(({ target }) => target.rawSql ?? "")]) {
      const rendered = renderSql(sql, ctx);
      expect(rendered).toMatch(new RegExp(`\\b${schema}\\.\\w+`));
      expect(rendered).not.toMatch(/\$\{|\$\w/);
    }
  });

  it("reads every panel but the live row's from PostgreSQL with one of the named queries, and uses every one of them", () => {
    const used = sqlTargets(election).map(({ target }) => target.rawSql);
    const named = Object.values(electionQueries).map((q) => q.sql);
    for (const sql of used) expect(named).toContain(sql);
    for (const sql of named) expect(used).toContain(sql);
    const panels = allPanels(election).filter((p) => p.type !== "row");
    const live = kafkaTargets(election).map(({ panel }) => panel.title);
    expect(live).toEqual(["Votes per candidate (live)", "Turnout by state (live)"]);
    expect(sqlTargets(election).length + live.length).toBe(panels.length);
  });

  it("refers, in its options, overrides and transformations, only to columns its query returns", () => {
    type Options = { xField?: string; sortBy?: { displayName: string }[] };
    type Extras = {
      options?: Options;
      fieldConfig?: { overrides?: { matcher: { id: string; options: string } }[] };
      transformations?: { id: string; options: Record<string, string> }[];
    };
    for (const { panel, target } of sqlTargets(election)) {
      const query = Object.values(electionQueries).find((q) => q.sql === target.rawSql);
      const columns: string[] = [...(query?.columns ?? [])];
      const extras = panel as unknown as Extras;
      const referred: string[] = [];
      for (const t of extras.transformations ?? []) {
        expect(t.id).toBe("groupingToMatrix");
        const { rowField, columnField, valueField } = t.options;
        referred.push(rowField ?? "", columnField ?? "", valueField ?? "");
        // Grafana names the pivoted frame's first field "<row>\\<column>".
        columns.push(`${rowField}\\${columnField}`);
      }
      if (extras.options?.xField) referred.push(extras.options.xField);
      for (const s of extras.options?.sortBy ?? []) referred.push(s.displayName);
      for (const o of extras.fieldConfig?.overrides ?? []) {
        if (o.matcher.id === "byName") referred.push(o.matcher.options);
      }
      for (const name of referred) expect(columns, `${panel.title}: ${name}`).toContain(name);
    }
  });

  it("reads only what the read-only role livetally_dashboard is granted", () => {
    const granted = grantedTables();
    expect(granted.has("tally_by_candidate")).toBe(true);
    for (const sql of [stateVariableSql, ...sqlTargets(election).map(({ target }) => target.rawSql ?? "")]) {
      for (const table of tablesRead(sql)) {
        expect(granted, `${table} in ${sql}`).toContain(ELECTION_TABLE.exec(table)?.[1]);
      }
    }
  });

  it("has the panels the prototype had, and more", () => {
    const titles = allPanels(election).map((p) => p.title);
    for (const title of [
      "Registered voters",
      "Votes cast",
      "Turnout",
      "Candidates",
      "Leader",
      "Votes per candidate",
      "Share of the vote",
      "Turnout by state",
      "Leading candidate by state",
      "Votes per minute",
      "Votes by gender",
      "Votes by age band",
    ]) {
      expect(titles).toContain(title);
    }
  });
});

describe("election night's live row", () => {
  const live = kafkaTargets(election);
  /** The columns of the tally job's sink of a topic (flink-sql/sql/20-sinks.sql), as the plugin decodes them. */
  function sinkColumns(topic: string): Record<string, unknown> {
    const base = topic.slice(topic.indexOf(".") + 1);
    const sql = readFileSync(join(repoRoot, "flink-sql", "sql", "20-sinks.sql"), "utf8");
    const ddl = new RegExp(`CREATE TABLE ${base} \\(([^;]*?)\\) WITH`).exec(sql)?.[1] ?? "";
    const columns = [...ddl.matchAll(/^\s*(\w+)\s+(STRING|BIGINT|DECIMAL)/gm)];
    // A BIGINT is an Avro long, a number; the plugin shows a DECIMAL as a fraction's text.
    return Object.fromEntries(columns.map(([, name, type]) => [name, type === "BIGINT" ? 1 : "1/1"]));
  }

  it("streams the chosen election's two aggregated topics, the last LIVE_ROWS offsets of every partition", () => {
    const shown = electionNames("${election:text}").topics;
    expect(live.map(({ target }) => target.topicName)).toEqual([
      shown.votesPerCandidate.name,
      shown.turnoutByLocation.name,
    ]);
    for (const { target } of live) {
      expect(target).toMatchObject({ partition: "all", autoOffsetReset: "lastN", lastN: LIVE_ROWS });
    }
  });

  it("groups by and shows only fields the tally job writes, and numbers where it plots or formats them", () => {
    for (const { panel, target } of live) {
      const columns = sinkColumns(target.topicName ?? "");
      expect(Object.keys(columns).length, panel.title).toBeGreaterThan(2);
      const groupBy = panel.transformations?.find((t) => t.id === "groupBy")?.options as GroupByOptions;
      for (const field of Object.keys(groupBy.fields))
        expect(columns, `${panel.title}: ${field}`).toHaveProperty(field);
      const [shown] = applyTransformations([{ time: 0, offset: 0, ...columns }], panel.transformations ?? []);
      const options = panel.options as { xField?: string };
      const overrides = (
        panel as unknown as { fieldConfig: { overrides: { matcher: { options: string } }[] } }
      ).fieldConfig.overrides;
      for (const name of [options.xField, ...overrides.map((o) => o.matcher.options)].filter(Boolean))
        expect(shown, `${panel.title}: ${name}`).toHaveProperty(name as string);
      const numbers = Object.entries(shown ?? {})
        .filter(([, v]) => typeof v === "number")
        .map(([k]) => k);
      expect(numbers.length, panel.title).toBeGreaterThan(0);
      for (const name of overrides.map((o) => o.matcher.options)) expect(numbers).toContain(name);
    }
  });
});

describe("operations", () => {
  it("reads every panel from Prometheus", () => {
    const panels = allPanels(operations).filter((p) => p.type !== "row");
    for (const p of panels) expect(p.datasource, p.title).toEqual(prometheusDatasource);
    expect(promTargetsOf(operations).length).toBeGreaterThanOrEqual(panels.length);
  });

  it("uses only metric names our services and controller register or the exporters document", async () => {
    const ours = new Set([...(await registeredNames()), ...(await controllerNames())]);
    for (const { panel, target } of promTargetsOf(operations)) {
      const names = metricNames(target.expr ?? "");
      expect(names.length, `${panel.title}: ${target.expr}`).toBeGreaterThan(0);
      for (const name of names) {
        expect(ours.has(name) || documentedExporterMetricNames.has(name), `${panel.title}: ${name}`).toBe(
          true,
        );
      }
    }
  });

  it("lists the elections by the label of a services metric, all of them by default", () => {
    const variable = variableOf(operations, "election");
    expect(variable).toMatchObject({
      type: "query",
      multi: true,
      includeAll: true,
      allValue: ".*",
      query: `label_values(${serviceMetricNames.votesCast}, ${ELECTION_LABEL})`,
      current: { value: ["$__all"] },
    });
    expect(variable?.query).toBe(electionVariableQuery);
    expect(variable?.datasource).toEqual(prometheusDatasource);
  });

  it("filters the services' metrics by the election variable, one series per election, and only those", async () => {
    const ours = await registeredNames();
    let filtered = 0;
    for (const { panel, target } of promTargetsOf(operations)) {
      const expr = target.expr ?? "";
      const services = metricNames(expr).filter((name) => ours.has(name));
      if (services.length === 0) {
        // A metric without the label would show nothing once an election is picked.
        expect(expr, panel.title).not.toContain("$election");
        continue;
      }
      for (const name of services) {
        expect(expr, panel.title).toContain(`${name}{${ELECTION_LABEL}=~"$election"}`);
      }
      expect(expr, panel.title).toMatch(new RegExp(`\\bby \\(${ELECTION_LABEL}\\b`));
      expect(target.legendFormat, panel.title).toContain(`{{${ELECTION_LABEL}}}`);
      filtered++;
    }
    expect(filtered).toBeGreaterThan(0);
  });
});

describe("the services' metrics", () => {
  it("carry the election they serve as a label, on every sample", async () => {
    const metrics = createMetrics("city-council");
    metrics.votesCast.inc();
    metrics.deadLetters.inc({ reason: "unknown_candidate" });
    metrics.consumerLag.set({ topic: "city-council.voters", partition: "0" }, 3);
    metrics.voteBatchDuration.observe(0.02);
    const samples = (await metrics.registry.metrics())
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"));
    expect(samples.length).toBeGreaterThan(20);
    const labelled = new RegExp(`[{,]${ELECTION_LABEL}="city-council"[,}]`);
    for (const sample of samples) expect(sample).toMatch(labelled);
  });
});

describe("metricNames", () => {
  it("finds the selected metrics, not functions, keywords, labels, strings or ranges", () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le) (rate(livetally_vote_batch_duration_seconds_bucket{job="x"}[$__rate_interval])))',
      ),
    ).toEqual(["livetally_vote_batch_duration_seconds_bucket"]);
    expect(metricNames("sum(a_total) / ignoring(reason) sum without (pod) (b_total) > bool 0")).toEqual([
      "a_total",
      "b_total",
    ]);
    expect(metricNames("count(kafka_server_replicamanager_leadercount)")).toEqual([
      "kafka_server_replicamanager_leadercount",
    ]);
  });
});
