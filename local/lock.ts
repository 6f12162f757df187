import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CommandError } from "../producers/runtime/command-error.js";
import { sleep } from "../producers/runtime/waiting.js";

/** The lock is held by a live process, and the wait for it is over. */
export class LockHeld extends CommandError {
  override readonly name = "LockHeld";
  constructor(
    readonly path: string,
    readonly holder: number,
  ) {
    super(`${path} is held by pid ${holder}`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Runs `work` holding an exclusive lock shared by every process on this machine: a directory created
 * atomically, with the holder's pid inside. A lock whose holder died is taken over; a live holder is
 * waited for, up to `waitMs`.
 */
export async function withLock<T>(path: string, work: () => Promise<T>, waitMs = 180_000): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const owner = join(path, "pid");
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(owner, String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let holder = Number.NaN;
      try {
        holder = Number(readFileSync(owner, "utf8"));
      } catch {
        // Not yet written by its holder, or the holder died before writing it (stale after 10 s).
      }
      const abandoned = Number.isInteger(holder) ? !alive(holder) : ageMs(path) > 10_000;
      if (abandoned) {
        rmSync(path, { recursive: true, force: true });
        continue;
      }
      if (Date.now() >= deadline) throw new LockHeld(path, holder);
      await sleep(250);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}
