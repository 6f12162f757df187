import { describe, expect, it } from "vitest";
import { sleep } from "../producers/runtime/waiting.js";
import { WorkQueue } from "./work-queue.js";

describe("the work queue", () => {
  it("holds a key once however often it is added, in the order first added", async () => {
    const depths: number[] = [];
    const q = new WorkQueue((d) => depths.push(d));
    for (const k of ["a", "b", "a", "c", "b"]) q.add(k);
    expect(q.depth).toBe(3);
    expect([await q.get(), await q.get(), await q.get()]).toEqual(["a", "b", "c"]);
    expect(depths.at(-1)).toBe(0);
  });

  it("never hands a key to two workers: one added while worked on comes back when done", async () => {
    const q = new WorkQueue();
    q.add("a");
    const key = await q.get();
    q.add("a");
    expect(q.depth).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await sleep(5);
    expect(second).toBeUndefined();
    q.done(key ?? "");
    await sleep(5);
    expect(second).toBe("a");
  });

  it("adds after a delay, the earlier of two delays winning", async () => {
    const q = new WorkQueue();
    q.addAfter("a", 200);
    q.addAfter("a", 20);
    q.addAfter("a", 400);
    await sleep(60);
    expect(q.depth).toBe(1);
    await q.get();
    await sleep(400);
    expect(q.depth).toBe(0);
  });

  it("backs off each failure twice as long, up to a ceiling, and afresh after a success", () => {
    const q = new WorkQueue(undefined, 100, 350);
    expect([q.retry("a"), q.retry("a"), q.retry("a"), q.retry("a")]).toEqual([100, 200, 350, 350]);
    q.forget("a");
    expect(q.retry("a")).toBe(100);
    q.shutDown();
  });

  it("hands out nothing once shut down, and wakes the workers waiting", async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.addAfter("later", 10);
    q.shutDown();
    expect(await waiting).toBeUndefined();
    q.add("a");
    expect(await q.get()).toBeUndefined();
  });
});
