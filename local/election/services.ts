import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { constants } from "node:os";
import { join } from "node:path";
import { localServiceEnv } from "../endpoints.js";
import { stackContext } from "../stack.js";
import { repoRoot } from "../../versions.js";

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
  options: {
    readonly inheritOutput?: boolean;
    /** The log file's name without .log; the service's name unless told (one per election). */
    readonly logName?: string;
    /** Node's own flags, as the service's Kubernetes container passes them. */
    readonly nodeFlags?: readonly string[];
  } = {},
): RunningService {
  const logDir = stackContext().settings.logDir;
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${options.logName ?? name}.log`);
  // Node itself with tsx as a loader, not the tsx command, which would run the service as a child of its
  // own: a signal to the pid here (SIGKILL, as a node's kubelet may send) then reaches the service.
  const node = [...(options.nodeFlags ?? []), "--import", "tsx"];
  const child = spawn(process.execPath, [...node, join(repoRoot, script), ...args], {
    cwd: repoRoot,
    env: { ...localServiceEnv(), ...env },
    stdio: options.inheritOutput ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
  });
  if (!options.inheritOutput) {
    const log = createWriteStream(logFile, { flags: "a" });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  // A process ended by a signal exits, as a shell reports it, with 128 plus the signal's number.
  const exited = new Promise<number>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0))),
  );
  return { name, process: child, logFile, exited };
}
