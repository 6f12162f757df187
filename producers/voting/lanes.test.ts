import { describe, expect, it } from "vitest";
import { PartitionLanes } from "./lanes.js";

const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("partition lanes", () => {
  it("runs a lane's work in order and lanes side by side", async () => {
    const lanes = new PartitionLanes(100);
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
    };
    lanes.push("p0", 1, job("a1", 20));
    lanes.push("p0", 1, job("a2", 1));
    lanes.push("p1", 1, job("b1", 1));
    await lanes.drained();
    expect(log.indexOf("end a1")).toBeLessThan(log.indexOf("start a2"));
    expect(log.indexOf("start b1")).toBeLessThan(log.indexOf("end a1"));
    expect(lanes.size).toBe(0);
  });

  it("never runs a lane's later work after a failure", async () => {
    const lanes = new PartitionLanes(100);
    let ran = false;
    lanes.push("p0", 1, async () => {
      throw new Error("PostgreSQL went away");
    });
    lanes.push("p0", 1, async () => {
      ran = true;
    });
    await lanes.drained();
    expect(ran).toBe(false);
  });

  it("holds back new work while the budget is spent", async () => {
    const lanes = new PartitionLanes(10);
    let release: () => void = () => undefined;
    lanes.push("p0", 8, () => new Promise<void>((r) => (release = r)));
    let admitted = false;
    const waiting = lanes
      .room(
        5,
        async () => undefined,
        () => false,
      )
      .then(() => (admitted = true));
    await tick();
    expect(admitted).toBe(false);
    release();
    await waiting;
    expect(admitted).toBe(true);
    // An abort lets the caller go without waiting.
    lanes.push("p0", 8, () => tick(50));
    await lanes.room(
      5,
      async () => undefined,
      () => true,
    );
    await lanes.drained();
  });
});
