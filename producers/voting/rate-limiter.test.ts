import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limiter.js";

describe("rate limiter", () => {
  function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
    let t = 0;
    const slept: number[] = [];
    return {
      now: () => t,
      sleep: async (ms) => {
        slept.push(ms);
        t += ms;
      },
      slept,
    };
  }

  it("lets the first units through and paces the rest to the rate", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(100, clock.now, clock.sleep);
    await limiter.acquire(50); // immediately
    await limiter.acquire(50); // after the first 50 units' half second
    await limiter.acquire(100); // after another half second
    expect(clock.slept).toEqual([500, 500]);
    expect(clock.now()).toBe(1000);
  });

  it("does not hoard: idle time is not saved up for a burst", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(10, clock.now, clock.sleep);
    await limiter.acquire(10);
    await clock.sleep(5_000);
    await limiter.acquire(10);
    await limiter.acquire(10);
    expect(clock.slept).toEqual([5_000, 1_000]);
  });

  it("never waits when unlimited", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(0, clock.now, clock.sleep);
    await limiter.acquire(1_000_000);
    expect(clock.slept).toEqual([]);
    expect(limiter.limited).toBe(false);
  });
});
