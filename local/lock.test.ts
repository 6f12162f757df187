import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sleep } from "../producers/runtime/waiting.js";
import { LockHeld, withLock } from "./lock.js";

describe("the stack's lock", () => {
  it("lets one holder in at a time", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "livetally-lock-")), "l");
    const order: string[] = [];
    const first = withLock(path, async () => {
      order.push("first in");
      await sleep(300);
      order.push("first out");
    });
    await sleep(50);
    const second = withLock(path, async () => void order.push("second in"));
    await Promise.all([first, second]);
    expect(order).toEqual(["first in", "first out", "second in"]);
  });

  it("names a live holder when it will not wait, and takes over from a dead one", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "livetally-lock-")), "l");
    mkdirSync(path);
    writeFileSync(join(path, "pid"), String(process.pid));
    await expect(withLock(path, async () => "in", 0)).rejects.toEqual(new LockHeld(path, process.pid));
    const dead = spawnSync("true").pid;
    writeFileSync(join(path, "pid"), String(dead));
    await expect(withLock(path, async () => "in", 0)).resolves.toBe("in");
  });
});
