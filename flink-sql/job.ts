import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { endpoints, type Endpoints } from "../local/endpoints.js";
import { RUNNER_JAR, flinkLibDir } from "../local/engines/flink.js";
import { stackContext } from "../local/stack.js";
import { repoRoot } from "../versions.js";

export const SQL_DIR = join(repoRoot, "flink-sql", "sql");
export const JOB_NAME = "livetally-tallies";

/** The job's scripts in the order they run: sources, sinks, then the tallies that join them. */
export function sqlScripts(): string[] {
  return readdirSync(SQL_DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => join(SQL_DIR, f));
}

/** The environment the SQL scripts' ${NAME} placeholders are filled from, for the local stack. */
export function sqlEnvironment(
  ep: Endpoints = endpoints(),
  checkpointInterval?: string,
): Record<string, string> {
  const db = new URL(ep.databaseUrl);
  return {
    KAFKA_BOOTSTRAP_SERVERS: ep.kafkaBrokers.join(","),
    SCHEMA_REGISTRY_URL: ep.registryUrl,
    JDBC_URL: `jdbc:postgresql://${db.host}${db.pathname}`,
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
  /** Resume from this checkpoint or savepoint (a file:// path). */
  readonly restoreFrom?: string;
  readonly parallelism?: number;
  /** How often the job checkpoints, as Flink reads a duration ("2s"); FLINK_CHECKPOINT_INTERVAL or 30s. */
  readonly checkpointInterval?: string;
  /** Only plan the statements (parse and type-check); submit nothing. */
  readonly validateOnly?: boolean;
}

/** Runs the SQL runner against the stack's Flink; resolves with the submitted job id. */
export function submitTallyJob(options: SubmitOptions = {}): Promise<string> {
  const ep = endpoints();
  const flink = new URL(ep.flinkRestUrl);
  const ctx = stackContext();
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
    ...(options.restoreFrom ? [`execution.state-recovery.path=${options.restoreFrom}`] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("java", args, {
      env: { ...process.env, ...sqlEnvironment(ep, options.checkpointInterval) },
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
}

async function flinkGet<T>(path: string): Promise<T> {
  const response = await fetch(`${endpoints().flinkRestUrl}${path}`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`Flink REST ${path}: ${response.status}`);
  return (await response.json()) as T;
}

export async function tallyJobs(): Promise<JobOverview[]> {
  const { jobs } = await flinkGet<{ jobs: JobOverview[] }>("/jobs/overview");
  return jobs.filter((j) => j.name === JOB_NAME);
}

/** The running tally job, if there is one. */
export async function runningTallyJob(): Promise<string | undefined> {
  return (await tallyJobs()).find((j) => j.state === "RUNNING" || j.state === "RESTARTING")?.jid;
}

/** The path of the job's latest completed checkpoint, once it has one. */
export async function latestCheckpoint(jobId: string): Promise<string | undefined> {
  const stats = await flinkGet<{ latest?: { completed?: { external_path?: string } | null } }>(
    `/jobs/${jobId}/checkpoints`,
  );
  return stats.latest?.completed?.external_path ?? undefined;
}

export async function cancelJob(jobId: string): Promise<void> {
  const ep = endpoints();
  await fetch(`${ep.flinkRestUrl}/jobs/${jobId}?mode=cancel`, { method: "PATCH" });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { state } = await flinkGet<{ state: string }>(`/jobs/${jobId}`);
    if (state === "CANCELED" || state === "FAILED" || state === "FINISHED") return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`job ${jobId} did not stop within 60 s`);
}

/** Waits until every task of the job runs, so that it is consuming. */
export async function awaitRunning(jobId: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const job = await flinkGet<{ state: string; vertices: Array<{ status: string }> }>(`/jobs/${jobId}`);
    if (job.state === "FAILED") throw new Error(`job ${jobId} failed; see the Flink log`);
    if (job.state === "RUNNING" && job.vertices.every((v) => v.status === "RUNNING")) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`job ${jobId} was not running within ${timeoutMs / 1000} s`);
}
