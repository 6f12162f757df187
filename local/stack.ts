import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { versions } from "../versions.js";
import type { Engine, Health, StackContext } from "./engine.js";
import { EtcdEngine } from "./engines/etcd.js";
import { FlinkEngine } from "./engines/flink.js";
import { KubeApiServerEngine } from "./engines/kube-apiserver.js";
import { KubeControllerManagerEngine } from "./engines/kube-controller-manager.js";
import { KafkaEngine } from "./engines/kafka.js";
import { PostgresEngine } from "./engines/postgres.js";
import { RegistryEngine } from "./engines/registry.js";
import { launch, livePid, stopByPidFile, treeMemoryMiB } from "./processes.js";
import { ProgressLine, seconds } from "./progress.js";
import { CommandError } from "../producers/runtime/command-error.js";
import { sleep } from "../producers/runtime/waiting.js";
import { stackSettings } from "./settings.js";

export class StackError extends CommandError {
  override readonly name = "StackError";
}

export function stackContext(env: NodeJS.ProcessEnv = process.env): StackContext {
  return { settings: stackSettings(env), versions: versions() };
}

/**
 * The engines in start order; each names the engines it needs first. The Kubernetes control plane
 * belongs to the stack when asked for (LIVETALLY_KUBERNETES=1) or already running.
 */
export function stackEngines(ctx: StackContext): Engine[] {
  const pipeline = [
    new PostgresEngine(ctx),
    new KafkaEngine(ctx),
    new FlinkEngine(ctx),
    new RegistryEngine(ctx),
  ];
  const kubernetes = [
    new EtcdEngine(ctx),
    new KubeApiServerEngine(ctx),
    new KubeControllerManagerEngine(ctx),
  ];
  const running = kubernetes.some((e) => livePid(e.launchSpec().pidFile) !== undefined);
  return ctx.settings.kubernetes.enabled || running ? [...pipeline, ...kubernetes] : pipeline;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

function logTail(file: string, lines = 15): string {
  if (!existsSync(file)) return "(no log yet)";
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

/**
 * Starts every engine that is not running (or those named, and what they depend on), and waits until
 * all are healthy. Idempotent.
 */
export async function stackUp(ctx: StackContext, only?: readonly string[]): Promise<Map<string, number>> {
  const all = stackEngines(ctx);
  const unknown = (only ?? []).filter((n) => !all.some((e) => e.name === n));
  if (unknown.length > 0) throw new StackError(`no such engine: ${unknown.join(", ")}`);
  const wanted = new Set(only ?? all.map((e) => e.name));
  for (const e of [...all].reverse()) if (wanted.has(e.name)) for (const d of e.dependsOn) wanted.add(d);
  const engines = all.filter((e) => wanted.has(e.name));
  const missing = engines.flatMap((e) => e.missingPrerequisites());
  if (missing.length > 0) {
    throw new StackError(`missing prerequisites:\n  - ${[...new Set(missing)].join("\n  - ")}`);
  }
  const progress = new ProgressLine(engines.map((e) => e.name));
  const tookMs = new Map<string, number>();
  try {
    // Preparation downloads through Maven; one at a time keeps the local repository consistent.
    for (const engine of engines) {
      await engine.prepare((what) => progress.set(engine.name, what));
      progress.set(engine.name, "prepared");
    }
    const healthy = new Map<string, Promise<void>>();
    for (const engine of engines) {
      const deps = engine.dependsOn.map((d) => healthy.get(d) ?? Promise.resolve());
      healthy.set(
        engine.name,
        Promise.all(deps).then(async () => {
          const begin = Date.now();
          await startOne(engine, (text) => progress.set(engine.name, text));
          tookMs.set(engine.name, Date.now() - begin);
        }),
      );
    }
    const results = await Promise.allSettled(healthy.values());
    const failures = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as Error).message] : []));
    if (failures.length > 0) throw new StackError(failures.join("\n"));
  } finally {
    progress.stop();
  }
  return tookMs;
}

async function startOne(engine: Engine, report: (text: string) => void): Promise<void> {
  const spec = engine.launchSpec();
  let pid = livePid(spec.pidFile);
  const outdated = pid === undefined ? undefined : engine.outdated?.();
  if (outdated !== undefined) {
    report(`restarting: ${outdated}`);
    await stopByPidFile(spec.pidFile, engine.stopSignal, 30_000);
    pid = undefined;
  }
  if (pid !== undefined && (await engine.probe()).healthy) {
    await engine.refresh?.(report);
    report(`already running (pid ${pid})`);
    return;
  }
  if (pid === undefined) {
    if (!(await portIsFree(engine.port))) {
      throw new StackError(
        `${engine.name}: port ${engine.port} is taken by a process the stack did not start; free it or choose another port (see README, "Local stack")`,
      );
    }
    report("starting");
    pid = launch(spec);
  }
  const deadline = Date.now() + engine.startTimeoutMs;
  let last: Health = { healthy: false, detail: "not probed yet" };
  while (Date.now() < deadline) {
    if (livePid(spec.pidFile) === undefined) {
      throw new StackError(
        `${engine.name} exited while starting; its log is ${spec.logFile}:\n${logTail(spec.logFile)}`,
      );
    }
    last = await engine.probe();
    if (last.healthy) break;
    report(`waiting to be healthy (pid ${pid})`);
    await sleep(500);
  }
  if (!last.healthy) {
    throw new StackError(
      `${engine.name} did not become healthy within ${seconds(engine.startTimeoutMs)} (${last.detail}); its log is ${spec.logFile}`,
    );
  }
  await engine.afterHealthy?.(report);
  await engine.refresh?.(report);
  report(`healthy${last.version ? ` (${last.version})` : ""}`);
}

/** Stops, in reverse start order, only the processes whose pid files the stack wrote. */
export async function stackDown(ctx: StackContext): Promise<Array<{ name: string; result: string }>> {
  const results: Array<{ name: string; result: string }> = [];
  for (const engine of stackEngines(ctx).reverse()) {
    const result = await stopByPidFile(engine.launchSpec().pidFile, engine.stopSignal, 30_000);
    results.push({ name: engine.name, result });
  }
  return results;
}

async function workloadOf(engine: Engine): Promise<Health | undefined> {
  if (engine.workload === undefined) return undefined;
  try {
    return await engine.workload();
  } catch (e) {
    return { healthy: false, detail: `cannot tell: ${(e as Error).message}` };
  }
}

export interface EngineStatus {
  readonly name: string;
  readonly pid: number | undefined;
  readonly port: number;
  /** Whether the engine itself answers. */
  readonly health: Health;
  /** Whether what it carries for the open elections is sound (Flink: their tally jobs run). */
  readonly workload: Health | undefined;
  readonly rssMiB: number;
  readonly peakRssMiB: number;
}

export async function stackStatus(ctx: StackContext): Promise<EngineStatus[]> {
  return Promise.all(
    stackEngines(ctx).map(async (engine) => {
      const pid = livePid(engine.launchSpec().pidFile);
      const health: Health =
        pid === undefined ? { healthy: false, detail: "not running" } : await engine.probe();
      const workload = health.healthy ? await workloadOf(engine) : undefined;
      const memory = pid === undefined ? { rss: 0, peak: 0 } : treeMemoryMiB(pid);
      return {
        name: engine.name,
        pid,
        port: engine.port,
        health,
        workload,
        rssMiB: memory.rss,
        peakRssMiB: memory.peak,
      };
    }),
  );
}
