import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { sleep } from "../producers/runtime/waiting.js";

/**
 * A process the stack started, remembered by a pid file holding its pid and kernel start time, so a
 * recycled pid is never mistaken for ours and nothing is ever stopped by name.
 */
export interface PidRecord {
  readonly pid: number;
  readonly startTime: string;
}

function procStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may itself hold spaces, start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return undefined;
  }
}

export function readPidFile(pidFile: string): PidRecord | undefined {
  if (!existsSync(pidFile)) return undefined;
  const [pid, startTime] = readFileSync(pidFile, "utf8").trim().split(" ");
  const n = Number(pid);
  if (!Number.isInteger(n) || n <= 0 || !startTime) return undefined;
  return { pid: n, startTime };
}

/** The live process a pid file names, or undefined (and the stale file removed). */
export function livePid(pidFile: string): number | undefined {
  const record = readPidFile(pidFile);
  if (record && procStartTime(record.pid) === record.startTime) return record.pid;
  if (existsSync(pidFile)) rmSync(pidFile);
  return undefined;
}

export interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly logFile: string;
  readonly pidFile: string;
  readonly uid?: number;
  readonly gid?: number;
}

/** Starts a process in its own session, detached from ours, with output appended to its log. */
export function launch(spec: LaunchSpec): number {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  mkdirSync(dirname(spec.pidFile), { recursive: true });
  const log = openSync(spec.logFile, "a");
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    detached: true,
    stdio: ["ignore", log, log],
    ...(spec.uid === undefined ? {} : { uid: spec.uid }),
    ...(spec.gid === undefined ? {} : { gid: spec.gid }),
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${spec.command}`);
  child.unref();
  const startTime = procStartTime(pid);
  if (startTime === undefined) throw new Error(`${spec.command} exited at once; see ${spec.logFile}`);
  writeFileSync(spec.pidFile, `${pid} ${startTime}\n`);
  return pid;
}

/** Signals the process named by the pid file, waits for it to exit, and kills it after the grace. */
export async function stopByPidFile(
  pidFile: string,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<"stopped" | "killed" | "not-running"> {
  const pid = livePid(pidFile);
  if (pid === undefined) return "not-running";
  const record = readPidFile(pidFile);
  const alive = () => record !== undefined && procStartTime(pid) === record.startTime;
  process.kill(pid, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive()) {
      rmSync(pidFile, { force: true });
      return "stopped";
    }
    await sleep(200);
  }
  if (alive()) process.kill(pid, "SIGKILL");
  while (alive()) await sleep(100);
  rmSync(pidFile, { force: true });
  return "killed";
}

/** The process and all its descendants, from /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(pid);
      children.set(ppid, list);
    } catch {
      // The process ended while we looked.
    }
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Resident and peak resident memory of a process tree, in MiB (VmRSS and VmHWM summed). */
export function treeMemoryMiB(root: number): { rss: number; peak: number } {
  let rss = 0;
  let peak = 0;
  for (const pid of processTree(root)) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // The process ended while we looked.
    }
  }
  return { rss: Math.round(rss / 1024), peak: Math.round(peak / 1024) };
}
