import { createServer } from "node:net";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allDashboards } from "../../dashboards/build.js";
import { ELECTION_UID } from "../../dashboards/election/dashboard.js";
import { OPERATIONS_UID } from "../../dashboards/operations/dashboard.js";
import {
  documentedExporterMetricNames,
  exporterMetrics,
} from "../../dashboards/operations/exporter-metrics.js";
import {
  electionQueries,
  electionVariableSql,
  stateVariableSql,
  type ElectionQueryName,
} from "../../dashboards/election/queries.js";
import { renderSql } from "../../dashboards/macros.js";
import { metricNames, promTargetsOf, sqlTargets, type DashboardJson } from "../../dashboards/model.js";
import { cancelTallyJobs, liveTallyJob } from "../../local/tally-job.js";
import { loadElection, withOverrides } from "../../local/election/document.js";
import { runElection, type ElectionRunResult } from "../../local/election/run.js";
import { endpoints } from "../../local/endpoints.js";
import { ELECTION_LABEL, controllerMetricNames } from "../../producers/runtime/metric-names.js";
import { pollUntil, sleep } from "../../producers/runtime/waiting.js";
import { electionNames, electionOfSchema } from "../../schemas/election/names.js";
import type { Election } from "../../schemas/generated/election.js";
import { repoRoot } from "../../versions.js";

/**
 * The dashboards' queries against the real engines, after two real elections on the local stack: every
 * PostgreSQL panel of election night as Grafana would run it (variables and macros expanded) and as the
 * read-only dashboard role, with the election variable set to each election in turn, with the columns
 * the panel reads, some rows, and the same figures as that election's ledger and not the other's; every
 * Prometheus panel of operations, with the metric names each voting service really exposes while it
 * votes, labelled with its election, and the Flink names reported by a running tally job.
 */
const READER = { user: "grafana_test", password: "grafana_test" };

function testElection(document: Election) {
  const names = electionNames(document.metadata.name);
  return { name: names.election, schema: names.databaseSchema, document };
}
type TestElection = ReturnType<typeof testElection>;

/**
 * Two elections of other candidates, regions, sizes and seeds, so that a panel reading the wrong one
 * shows figures its own ledger does not hold. Small, so that both run in a few minutes on two cores.
 */
const general = testElection(
  withOverrides(loadElection(), { name: "dashboards-test", voters: 3_000, seed: 4242, rateLimit: 0 }),
);
const city = testElection(
  withOverrides(loadElection(join(repoRoot, "elections", "city-council.yaml")), {
    name: "dashboards-test-city",
    voters: 2_000,
    seed: 77,
    rateLimit: 0,
  }),
);
const elections = [general, city];
const otherThan = (e: TestElection) => (e === general ? city : general);

const dashboards = allDashboards();
const election = dashboards.find((d) => d.uid === ELECTION_UID) as DashboardJson;
const operations = dashboards.find((d) => d.uid === OPERATIONS_UID) as DashboardJson;
/** Each metric name once per panel that queries it. */
const promNames = [
  ...new Map(
    promTargetsOf(operations).flatMap(({ panel, target }) =>
      metricNames(target.expr ?? "").map(
        (name) => [`${panel.id}/${name}`, { title: panel.title ?? "", name }] as const,
      ),
    ),
  ).values(),
];
const isControllerMetric = (name: string) =>
  Object.values(controllerMetricNames).some((m) => name === m || name.startsWith(`${m}_`));
const panelQueries = sqlTargets(election).map(({ panel, target }) => {
  const entry = Object.entries(electionQueries).find(([, q]) => q.sql === target.rawSql);
  if (!entry) throw new Error(`panel "${panel.title}" has SQL that is not a named election query`);
  return { title: panel.title ?? "", name: entry[0] as ElectionQueryName, query: entry[1] };
});

/**
 * The same figures recomputed from an election's ledger (votes, voters, candidates), read through its
 * search_path; $1 is the states shown.
 */
const groundTruth: Record<ElectionQueryName, string> = {
  registeredVoters: "SELECT count(*) FROM voters WHERE state = ANY($1)",
  votesCast: "SELECT count(*) FROM votes WHERE state = ANY($1)",
  turnout: `SELECT round(100.0 * (SELECT count(*) FROM votes WHERE state = ANY($1))
                   / (SELECT count(*) FROM voters WHERE state = ANY($1)), 2)`,
  candidates: "SELECT count(*) FROM candidates",
  leader: `WITH t AS (SELECT c.candidate_id, c.name, c.party, count(v.voter_id) AS votes
                      FROM candidates c LEFT JOIN votes v USING (candidate_id) GROUP BY 1, 2, 3),
                r AS (SELECT *, row_number() OVER (ORDER BY votes DESC, candidate_id COLLATE "C") AS place FROM t)
           SELECT l.name, l.party, l.votes, l.votes - coalesce(s.votes, 0)
           FROM r l LEFT JOIN r s ON s.place = 2 WHERE l.place = 1`,
  votesPerCandidate: `SELECT c.name, count(v.voter_id) FROM candidates c LEFT JOIN votes v USING (candidate_id)
                      GROUP BY c.candidate_id, c.name`,
  votesPerParty: "SELECT party, count(*) FROM votes GROUP BY party",
  candidateTable: `SELECT c.photo_url, c.name, c.party, count(v.voter_id),
                          round(100.0 * count(v.voter_id) / (SELECT count(*) FROM votes), 2)
                   FROM candidates c LEFT JOIN votes v USING (candidate_id) GROUP BY c.candidate_id`,
  turnoutByState: `WITH leaders AS (
                     SELECT DISTINCT ON (s.state) s.state, c.name, c.party
                     FROM (SELECT state, candidate_id, count(*) AS votes FROM votes GROUP BY 1, 2) s
                     JOIN candidates c USING (candidate_id)
                     ORDER BY s.state, s.votes DESC, s.candidate_id COLLATE "C")
                   SELECT r.state, r.registered, coalesce(v.votes, 0),
                          round(100.0 * coalesce(v.votes, 0) / r.registered, 2), l.name, l.party
                   FROM (SELECT state, count(*) AS registered FROM voters GROUP BY state) r
                   LEFT JOIN (SELECT state, count(*) AS votes FROM votes GROUP BY state) v USING (state)
                   LEFT JOIN leaders l USING (state)
                   WHERE r.state = ANY($1)`,
  leaderByState: `SELECT DISTINCT ON (s.state) s.state, c.name, s.votes
                  FROM (SELECT state, candidate_id, count(*) AS votes FROM votes GROUP BY 1, 2) s
                  JOIN candidates c USING (candidate_id)
                  WHERE s.state = ANY($1)
                  ORDER BY s.state, s.votes DESC, s.candidate_id COLLATE "C"`,
  votesPerMinute: `SELECT extract(epoch from date_trunc('minute', cast_at AT TIME ZONE 'UTC')), count(*)
                   FROM votes GROUP BY 1`,
  votesByGender: "SELECT gender, count(*) FROM votes GROUP BY gender",
  votesByAgeBand: "SELECT age_band, count(*) FROM votes GROUP BY age_band",
};

/** Rows as sorted lists of comparable text: numbers by value, whatever type PostgreSQL gave them. */
function normalized(rows: readonly unknown[][]): string[] {
  const cell = (v: unknown) => {
    if (v instanceof Date) return v.toISOString();
    const text = String(v);
    return /^-?\d+(\.\d+)?$/.test(text) ? String(Number(text)) : text;
  };
  return rows.map((row) => JSON.stringify(row.map(cell))).sort();
}

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

/** The voting service's /metrics as scraped while it voted. */
interface Scraped {
  /** Names seen in any scrape. */
  readonly names: Set<string>;
  /** The election label of every sample, "" for a sample without one. */
  readonly elections: Set<string>;
}

/** What the run of one election left to check. */
interface Ran {
  readonly result: ElectionRunResult;
  /** The election's own tables, as its services read them. */
  readonly ledger: pg.Pool;
  /** The state variable's values, as the dashboard's login reads them. */
  readonly states: string[];
  readonly scraped: Scraped;
}

const ran = new Map<string, Ran>();
let reader: pg.Pool;

function of(e: TestElection): Ran {
  const r = ran.get(e.name);
  if (!r) throw new Error(`the election ${e.name} did not run`);
  return r;
}

async function scrapeWhileVoting(port: number, stop: AbortSignal, into: Scraped): Promise<void> {
  while (!stop.aborted) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        for (const sample of samples(await response.text())) {
          into.names.add(sample.name);
          into.elections.add(sample.election);
        }
      }
    } catch {
      // not listening yet, or already stopped
    }
    await sleep(250);
  }
}

/** The samples of a Prometheus text exposition: each one's metric name and election label. */
function samples(text: string): { name: string; election: string }[] {
  const label = new RegExp(`[{,]${ELECTION_LABEL}="([^"]*)"`);
  return text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => ({
      name: /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? "",
      election: label.exec(line)?.[1] ?? "",
    }))
    .filter((sample) => sample.name !== "");
}

/** A panel's SQL as Grafana sends it with the election variable on `e` and the states shown. */
function panelSql(sql: string, e: TestElection, states: readonly string[]): string {
  // The dashboard's own time range, now-1h to now, which covers the elections that just ran.
  const to = new Date();
  const from = new Date(to.getTime() - 3_600_000);
  return renderSql(sql, { from, to, variables: { election: [e.schema], state: states } });
}

beforeAll(async () => {
  const url = endpoints().databaseUrl;
  // One after the other, so that a failure is one election's; each run resets only its own election, so
  // the first is still there, whole, when the panels are read.
  for (const e of elections) {
    const votingPort = await freePort();
    const scraped: Scraped = { names: new Set(), elections: new Set() };
    const result = await runElection({
      election: e.document,
      resume: false,
      votingPort,
      registerFirst: true,
      showRegistration: false,
      // The Flink metrics test below reads the running job's metrics.
      keepTallyJob: true,
      say: (line) => console.log(`dashboards: ${e.name}: ${line}`),
      whileVoting: (_db, stop) => scrapeWhileVoting(votingPort, stop, scraped),
    });
    const ledger = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${e.schema}` });
    ran.set(e.name, { result, ledger, states: [], scraped });
  }
  const admin = of(general).ledger;
  // A login in the dashboard role, as cdk8s gives Grafana one (grafana_reader IN ROLE livetally_dashboard).
  await admin.query(`DO $$
    BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${READER.user}') THEN
        CREATE ROLE ${READER.user} LOGIN PASSWORD '${READER.password}' IN ROLE livetally_dashboard;
      END IF;
    END $$`);
  const readerUrl = new URL(url);
  readerUrl.username = READER.user;
  readerUrl.password = READER.password;
  reader = new pg.Pool({ connectionString: readerUrl.toString(), max: 2 });
  for (const e of elections) {
    const { rows } = await reader.query<{ state: string }>(panelSql(stateVariableSql, e, []));
    of(e).states.push(...rows.map((r) => r.state));
  }
}, 600_000);

afterAll(async () => {
  await reader?.end();
  for (const r of ran.values()) await r.ledger.end();
  // The elections' tally jobs would otherwise keep a JVM busy while the next test file runs.
  for (const e of elections) await cancelTallyJobs(e.name);
});

describe("after two real elections", () => {
  it.each(elections)("$name's tallies were certified against its ledger", (e) => {
    expect(of(e).result.certification.match).toBe(true);
    expect(of(e).result.certification.votes).toBeGreaterThan(0);
  });

  it("the panels' login is read-only: it cannot read either ledger or register", async () => {
    for (const { schema } of elections) {
      await expect(reader.query(`SELECT count(*) FROM ${schema}.votes`)).rejects.toThrow(/permission denied/);
      await expect(reader.query(`SELECT count(*) FROM ${schema}.voters`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(reader.query(`DELETE FROM ${schema}.tally_by_candidate`)).rejects.toThrow(
        /permission denied/,
      );
    }
  });

  it("the election variable lists both elections by name, each with its schema as the value", async () => {
    const { rows } = await reader.query<{ __text: string; __value: string }>(electionVariableSql);
    for (const e of elections) expect(rows).toContainEqual({ __text: e.name, __value: e.schema });
    for (const row of rows) expect(electionOfSchema(row.__value)).toBe(row.__text);
  });

  it.each(elections)(
    "the state variable lists every state of $name's register, and only those",
    async (e) => {
      const { rows } = await of(e).ledger.query<{ state: string }>("SELECT DISTINCT state FROM voters");
      expect([...of(e).states].sort()).toEqual(rows.map((r) => r.state).sort());
    },
  );

  it("the elections share no candidate and no state, so a panel of the wrong one cannot pass", async () => {
    const candidates = async (e: TestElection) =>
      (await of(e).ledger.query<{ name: string }>("SELECT name FROM candidates")).rows.map((r) => r.name);
    const cityCandidates = await candidates(city);
    expect((await candidates(general)).filter((c) => cityCandidates.includes(c))).toEqual([]);
    expect(of(general).states.filter((s) => of(city).states.includes(s))).toEqual([]);
  });
});

/** The variable settings each panel is run with: the default (All) and a single state. */
const selections = [
  { selection: "all states", pick: (states: string[]) => states },
  { selection: "one state", pick: (states: string[]) => states.slice(0, 1) },
] as const;

describe.each(elections)("with the election $name", (e) => {
  describe.each(selections)("and $selection", ({ pick }) => {
    it.each(panelQueries)(
      "$title ($name) returns its columns, equal to this election's ledger and not the other's",
      async ({ name, query }) => {
        const states = pick(of(e).states);
        const panel = await reader.query({ text: panelSql(query.sql, e, states), rowMode: "array" });
        expect(panel.fields.map((f) => f.name)).toEqual(query.columns);
        expect(panel.rows.length).toBeGreaterThan(0);

        const truth = await of(e).ledger.query({
          text: groundTruth[name],
          values: groundTruth[name].includes("$1") ? [states] : [],
          rowMode: "array",
        });
        const expected = normalized(truth.rows as unknown[][]);
        expect(normalized(panel.rows as unknown[][])).toEqual(expected);

        // The same panel on the other election, as Grafana shows it once the variable is switched.
        const other = otherThan(e);
        const elsewhere = await reader.query({
          text: panelSql(query.sql, other, pick(of(other).states)),
          rowMode: "array",
        });
        expect(normalized(elsewhere.rows as unknown[][])).not.toEqual(expected);
      },
    );
  });
});

describe("every Prometheus panel", () => {
  it.each(elections)("scraped $name's voting service while it voted, every sample labelled $name", (e) => {
    const { scraped } = of(e);
    expect(scraped.names).toContain("livetally_votes_cast_total");
    expect([...scraped.elections]).toEqual([e.name]);
  });

  // The controller's own are checked against a running controller (controller-objects.test.ts).
  it.each(promNames.filter((m) => m.name.startsWith("livetally_") && !isControllerMetric(m.name)))(
    "$title: $name is in each voting service's live /metrics",
    ({ name }) => {
      for (const e of elections) expect([...of(e).scraped.names], e.name).toContain(name);
    },
  );

  it.each(promNames.filter((m) => !m.name.startsWith("livetally_")))(
    "$title: $name is an exporter metric with a documented name",
    ({ name }) => {
      expect(documentedExporterMetricNames.has(name)).toBe(true);
    },
  );

  /*
   * The Prometheus reporter names a Flink metric by its scope: flink_jobmanager_job_<m> is job metric
   * m, flink_taskmanager_job_task_<m> task metric m of some subtask, and
   * flink_taskmanager_job_task_operator_<m> operator metric m, and
   * flink_taskmanager_job_task_operator_<key>_<m> operator metric m in a key/value group. The REST API
   * lists the same metrics of the running job, as <m>, <subtask>.<m>, <subtask>.<operator>.<m> and
   * <subtask>.<operator>.<key>.<value>.<m>.
   */
  it("uses Flink metrics that the running tally job reports at the scope the name says", async () => {
    const jobId = (await liveTallyJob(general.name))?.jid;
    expect(jobId).toBeDefined();
    const flink = endpoints().flinkRestUrl;
    const get = async <T>(path: string) => (await (await fetch(`${flink}${path}`)).json()) as T;
    const used = new Set(promNames.map((m) => m.name).filter((n) => n.startsWith("flink_")));
    expect(used.size).toBeGreaterThan(0);
    expect(exporterMetrics.flink.names).toEqual(expect.arrayContaining([...used]));
    // Some metrics (a Kafka source's pendingRecords, say) are registered only once a reader has
    // fetched; a busy machine may take a while, so the job is asked again until all are there.
    const unreported = async (): Promise<string[]> => {
      const jobMetrics = (await get<{ id: string }[]>(`/jobs/${jobId}/metrics`)).map((m) => m.id);
      const { vertices } = await get<{ vertices: { id: string }[] }>(`/jobs/${jobId}`);
      const vertexMetrics = (
        await Promise.all(
          vertices.map((v) => get<{ id: string }[]>(`/jobs/${jobId}/vertices/${v.id}/metrics`)),
        )
      ).flatMap((list) => list.map((m) => m.id));
      return exporterMetrics.flink.names
        .filter((n) => used.has(n))
        .filter((name) => {
          const operator = /^flink_taskmanager_job_task_operator_(\w+)$/.exec(name)?.[1];
          const task = /^flink_taskmanager_job_task_(\w+)$/.exec(name)?.[1];
          const job = /^flink_jobmanager_job_(\w+)$/.exec(name)?.[1];
          if (operator) {
            const [key, metric] = operator.split("_");
            const inGroup = metric === undefined ? undefined : new RegExp(`\\.${key}\\.[^.]+\\.${metric}$`);
            return !vertexMetrics.some(
              (id) => (id.split(".").length > 2 && id.endsWith(`.${operator}`)) || inGroup?.test(id),
            );
          }
          if (task) return !vertexMetrics.includes(`0.${task}`);
          return !jobMetrics.includes(job ?? "");
        });
    };
    const missing = await pollUntil(
      async () => {
        const names = await unreported();
        return names.length === 0 ? names : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 1_000, what: "every Flink metric a panel uses" },
    ).catch(unreported);
    expect(missing).toEqual([]);
  });
});
