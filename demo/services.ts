import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { stackContext } from "../local/stack.js";
import { repoRoot } from "../versions.js";

/** A service of producers/ run as its own process, as it runs in its own pod in Kubernetes. */
export interface RunningService {
  readonly name: string;
  readonly process: ChildProcess;
  readonly logFile: string;
  /** Resolves with the exit code when the process ends. */
  readonly exited: Promise<number>;
}

export function startService(
  name: string,
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { readonly inheritOutput?: boolean } = {},
): RunningService {
  const logDir = stackContext().settings.logDir;
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const child = spawn(join(repoRoot, "node_modules", ".bin", "tsx"), [join(repoRoot, script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: options.inheritOutput ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
  });
  if (!options.inheritOutput) {
    const log = createWriteStream(logFile, { flags: "a" });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const exited = new Promise<number>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  );
  return { name, process: child, logFile, exited };
}

/** Runs a service to its end; rejects naming its log when it fails. */
export async function runToCompletion(service: RunningService): Promise<void> {
  const code = await service.exited;
  if (code !== 0) throw new Error(`${service.name} exited with ${code}; see ${service.logFile}`);
}

/** Stops a service with SIGTERM, as Kubernetes does, and waits for it to finish its batch. */
export async function stopService(service: RunningService): Promise<number> {
  if (service.process.exitCode !== null) return service.process.exitCode;
  service.process.kill("SIGTERM");
  return service.exited;
}

/** The sum of each metric of a Prometheus text exposition, by name (labels summed over). */
export function sumMetrics(text: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    const value = Number(match[2]);
    if (Number.isFinite(value)) sums.set(match[1], (sums.get(match[1]) ?? 0) + value);
  }
  return sums;
}

export async function scrape(port: number): Promise<Map<string, number> | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2000) });
    return response.ok ? sumMetrics(await response.text()) : undefined;
  } catch {
    return undefined;
  }
}
