import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { electionJdbcUrl, electionSqlEnvironment, sqlScripts } from "../flink-sql/job.js";
import { electionNames } from "../schemas/election/names.js";
import { pollUntil } from "../producers/runtime/waiting.js";
import type { Health, StackContext } from "./engine.js";
import { openElections, type OpenElection } from "./elections.js";
import { endpoints, type Endpoints } from "./endpoints.js";
import { RUNNER_JAR, flinkLibDir } from "./flink-runner.js";
import { withLock } from "./lock.js";

/**
 * The tally job on the local stack's Flink: submitted by the SQL runner over REST, resumed from its
 * newest retained checkpoint when it is gone while its election is open (as the Flink operator's
 * last-state upgrade does in Kubernetes), and reported honestly.
 */

/** Where the tally job of an election keeps its checkpoints: `<dir>/<job id>/chk-<n>/_metadata`. */
export function checkpointDir(ctx: StackContext, election: string): string {
  return join(ctx.settings.dataDir, "flink", "checkpoints", election);
}

/** The environment the SQL scripts' ${NAME} placeholders are filled from, for an election on the local stack. */
export function sqlEnvironment(
  ep: Endpoints,
  election: string,
  checkpointInterval?: string,
): Record<string, string> {
  const db = new URL(ep.databaseUrl);
  const names = electionNames(election);
  return {
    ...electionSqlEnvironment(names),
    KAFKA_BOOTSTRAP_SERVERS: ep.kafkaBrokers.join(","),
    SCHEMA_REGISTRY_URL: ep.registryUrl,
    JDBC_URL: electionJdbcUrl(`jdbc:postgresql://${db.host}${db.pathname}`, names),
    JDBC_USER: decodeURIComponent(db.username),
    JDBC_PASSWORD: decodeURIComponent(db.password),
    // The local broker has no authentication; Kubernetes sets SASL_PLAINTEXT with SCRAM.
    KAFKA_SECURITY_PROTOCOL: "PLAINTEXT",
    KAFKA_SASL_MECHANISM: "PLAIN",
    KAFKA_SASL_JAAS_CONFIG: "",
    // Each checkpoint writes the whole heap state (a flag per voter: ~100 MB for a million voters).
    // Every 30 s rather than 10 s cut a million-voter election's Flink CPU from 103 to 67 seconds; the
    // tallies stay fresh regardless, since the sinks flush on their own interval.
    FLINK_CHECKPOINT_INTERVAL: checkpointInterval ?? process.env.FLINK_CHECKPOINT_INTERVAL ?? "30s",
  };
}

export interface SubmitOptions {
  /** The election the job tallies, whose checkpoints it keeps. */
  readonly election: string;
  /** Resume from this checkpoint or savepoint (a file:// path or a directory). */
  readonly restoreFrom?: string;
  readonly parallelism?: number;
  /** How often the job checkpoints, as Flink reads a duration ("2s"); FLINK_CHECKPOINT_INTERVAL or 30s. */
  readonly checkpointInterval?: string;
  /** Only plan the statements (parse and type-check); submit nothing. */
  readonly validateOnly?: boolean;
}

/** Runs the SQL runner against the stack's Flink; resolves with the submitted job id. */
export function submitTallyJob(ctx: StackContext, options: SubmitOptions): Promise<string> {
  const ep = endpoints();
  const flink = new URL(ep.flinkRestUrl);
  const args = [
    "-Xmx512m",
    `-Dlog4j2.configurationFile=${join(ctx.settings.stackDir, "config", "flink", "log4j2.properties")}`,
    "-cp",
    `${RUNNER_JAR}:${flinkLibDir(ctx)}/*`,
    "io.livetally.flink.SqlRunner",
    ...(options.validateOnly ? ["--validate"] : []),
    ...sqlScripts(),
    "execution.target=remote",
    `rest.address=${flink.hostname}`,
    `rest.port=${flink.port}`,
    // One task per operator: on two cores shared with Kafka, PostgreSQL and the services, a second
    // instance of each only added threads and exchanges (a million-voter election: 69 -> 57 CPU seconds).
    `parallelism.default=${options.parallelism ?? 1}`,
    ...(options.validateOnly
      ? []
      : [`execution.checkpointing.dir=file://${checkpointDir(ctx, options.election)}`]),
    ...(options.restoreFrom ? [`execution.state-recovery.path=${options.restoreFrom}`] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("java", args, {
      env: { ...process.env, ...sqlEnvironment(ep, options.election, options.checkpointInterval) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const submitted = /sql-runner: submitted job=([0-9a-f]+)/.exec(output);
      const valid = /sql-runner: valid inserts=(\d+)/.exec(output);
      if (code === 0 && submitted?.[1]) resolve(submitted[1]);
      else if (code === 0 && valid?.[1]) resolve(`valid:${valid[1]}`);
      else
        reject(new Error(`SQL runner failed (exit ${code}):\n${output.split("\n").slice(-30).join("\n")}`));
    });
  });
}

interface JobOverview {
  readonly jid: string;
  readonly name: string;
  readonly state: string;
  readonly "start-time": number;
}

async function flinkGet<T>(path: string): Promise<T> {
  const response = await fetch(`${endpoints().flinkRestUrl}${path}`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) {
    throw Object.assign(new Error(`Flink REST ${path}: ${response.status}`), { status: response.status });
  }
  return (await response.json()) as T;
}

/** The tally jobs of an election that Flink knows of, newest first. */
export async function tallyJobs(election: string): Promise<JobOverview[]> {
  const { tallyJob } = electionNames(election);
  const { jobs } = await flinkGet<{ jobs: JobOverview[] }>("/jobs/overview");
  return jobs.filter((j) => j.name === tallyJob).sort((a, b) => b["start-time"] - a["start-time"]);
}

/** States in which a job still holds its place: it runs, or is on its way to running again. */
const LIVE_STATES = new Set(["CREATED", "INITIALIZING", "RUNNING", "RESTARTING"]);

/** The election's tally job that runs or will run again, if there is one. */
export async function liveTallyJob(election: string): Promise<JobOverview | undefined> {
  return (await tallyJobs(election)).find((j) => LIVE_STATES.has(j.state));
}

/** The path of a job's latest completed checkpoint, once it has one. */
export async function latestCheckpoint(jobId: string): Promise<string | undefined> {
  const stats = await flinkGet<{ latest?: { completed?: { external_path?: string } | null } }>(
    `/jobs/${jobId}/checkpoints`,
  );
  return stats.latest?.completed?.external_path ?? undefined;
}

/** The checkpoint a job was restored from, if it was. */
export async function restoredFrom(jobId: string): Promise<string | undefined> {
  const stats = await flinkGet<{ latest?: { restored?: { external_path?: string } | null } }>(
    `/jobs/${jobId}/checkpoints`,
  );
  return stats.latest?.restored?.external_path ?? undefined;
}

/**
 * The newest checkpoint any tally job of the election completed and retained: a chk-N directory whose
 * _metadata was written (a checkpoint cut short by a crash has none).
 */
export function latestRetainedCheckpoint(ctx: StackContext, election: string): string | undefined {
  const dir = checkpointDir(ctx, election);
  if (!existsSync(dir)) return undefined;
  let newest: { path: string; at: number } | undefined;
  for (const job of readdirSync(dir)) {
    const jobDir = join(dir, job);
    if (!statSync(jobDir).isDirectory()) continue;
    for (const chk of readdirSync(jobDir).filter((d) => /^chk-\d+$/.test(d))) {
      const metadata = join(jobDir, chk, "_metadata");
      if (!existsSync(metadata)) continue;
      const at = statSync(metadata).mtimeMs;
      if (newest === undefined || at > newest.at) newest = { path: join(jobDir, chk), at };
    }
  }
  return newest?.path;
}

export async function cancelJob(jobId: string): Promise<void> {
  await fetch(`${endpoints().flinkRestUrl}/jobs/${jobId}?mode=cancel`, { method: "PATCH" });
  await pollUntil(
    async () => {
      const { state } = await flinkGet<{ state: string }>(`/jobs/${jobId}`);
      return state === "CANCELED" || state === "FAILED" || state === "FINISHED" ? state : undefined;
    },
    { timeoutMs: 60_000, what: `job ${jobId} to stop` },
  );
}

/** Cancels every tally job of the election that still runs or would run again. */
export async function cancelTallyJobs(election: string): Promise<void> {
  for (const job of await tallyJobs(election)) if (LIVE_STATES.has(job.state)) await cancelJob(job.jid);
}

/** Waits until every task of the job runs, so that it is consuming. */
export async function awaitRunning(jobId: string, timeoutMs = 120_000): Promise<void> {
  await pollUntil(
    async () => {
      const job = await flinkGet<{ state: string; vertices: Array<{ status: string }> }>(`/jobs/${jobId}`);
      if (job.state === "FAILED") throw new Error(`job ${jobId} failed; see the Flink log`);
      return job.state === "RUNNING" && job.vertices.every((v) => v.status === "RUNNING") ? true : undefined;
    },
    { timeoutMs, intervalMs: 500, what: `job ${jobId} to run` },
  );
}

export interface Resumed {
  readonly jobId: string;
  /** The checkpoint it resumed from; undefined when it was running already or started afresh. */
  readonly restoredFrom: string | undefined;
  readonly alreadyRunning: boolean;
}

/**
 * Makes sure the election's tally job runs: nothing if one is live, else a new one from the newest
 * retained checkpoint, or from the start of the topics when there is none (the sinks upsert, so a job
 * that counts everything again writes the same results). Several processes may ask at once (the stack
 * starting Flink, the demo watching its election): a lock lets one submit.
 */
export async function resumeTallyJob(ctx: StackContext, election: string): Promise<Resumed> {
  return withLock(join(ctx.settings.stackDir, "run", `tally-job-${election}.lock`), async () => {
    const live = await liveTallyJob(election);
    if (live) return { jobId: live.jid, restoredFrom: undefined, alreadyRunning: true };
    const checkpoint = latestRetainedCheckpoint(ctx, election);
    const jobId = await submitTallyJob(ctx, {
      election,
      ...(checkpoint ? { restoreFrom: checkpoint } : {}),
    });
    await awaitRunning(jobId);
    return { jobId, restoredFrom: checkpoint, alreadyRunning: false };
  });
}

/**
 * Resumes the tally job of every open election; says what it did for each, and what went wrong for
 * one it could not resume (its checkpoint may not fit SQL changed since). Returns whether all run.
 */
export async function resumeOpenElections(ctx: StackContext, say: (line: string) => void): Promise<boolean> {
  let all = true;
  for (const election of openElections(ctx.settings)) {
    try {
      const r = await resumeTallyJob(ctx, election.name);
      say(
        r.alreadyRunning
          ? `tally job of ${election.name} already running (${r.jobId})`
          : `tally job of ${election.name} resumed as ${r.jobId} from ${r.restoredFrom ?? "the start of the topics"}`,
      );
    } catch (e) {
      all = false;
      say(
        `could not resume the tally job of ${election.name}: ${(e as Error).message.split("\n")[0]} (DEMO_FRESH=1 make demo starts the election anew)`,
      );
    }
  }
  return all;
}

interface JobDetail {
  readonly state: string;
  readonly restarts: number;
  readonly lastFailure: string | undefined;
}

async function jobDetail(jobId: string): Promise<JobDetail> {
  const [job, metrics, exceptions] = await Promise.all([
    flinkGet<{ state: string }>(`/jobs/${jobId}`),
    flinkGet<Array<{ id: string; value: string }>>(`/jobs/${jobId}/metrics?get=numRestarts`),
    flinkGet<{ exceptionHistory?: { entries?: Array<{ exceptionName?: string; stacktrace?: string }> } }>(
      `/jobs/${jobId}/exceptions?maxExceptions=1`,
    ),
  ]);
  const entry = exceptions.exceptionHistory?.entries?.[0];
  // The innermost cause says what went wrong; the outer exceptions say where it surfaced.
  const causes = (entry?.stacktrace ?? "").split("\n").filter((l) => l.startsWith("Caused by: "));
  const failure =
    causes.at(-1)?.slice("Caused by: ".length) ?? entry?.stacktrace?.split("\n")[0] ?? entry?.exceptionName;
  return {
    state: job.state,
    restarts: Number(metrics.find((m) => m.id === "numRestarts")?.value ?? 0),
    lastFailure: failure,
  };
}

/** Whether each open election's tally job runs: the part of Flink's health the elections depend on. */
export async function tallyJobsHealth(elections: readonly OpenElection[]): Promise<Health> {
  if (elections.length === 0) return { healthy: true, detail: "no election open" };
  const parts: string[] = [];
  let healthy = true;
  for (const election of elections) {
    const jobs = await tallyJobs(election.name);
    const job = jobs.find((j) => LIVE_STATES.has(j.state)) ?? jobs[0];
    if (job === undefined) {
      healthy = false;
      parts.push(`tally job of ${election.name} missing (make tally-resume)`);
      continue;
    }
    const detail = await jobDetail(job.jid);
    const failure = detail.lastFailure ? `, last failure: ${detail.lastFailure.slice(0, 160)}` : "";
    if (detail.state !== "RUNNING") healthy = false;
    parts.push(`tally job of ${election.name} ${detail.state} (${detail.restarts} restarts${failure})`);
  }
  return { healthy, detail: parts.join("; ") };
}
