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
