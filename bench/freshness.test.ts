import { describe, expect, it } from "vitest";
import { freshnessSamples, quantile } from "./freshness.js";

describe("tally freshness", () => {
  it("measures each vote from its commit to the first tally that counts it", () => {
    const commits = new Map([["c1", [100, 200, 300]]]);
    const history = new Map([
      [
        "c1",
        [
          { at: 150, votes: 1 },
          { at: 400, votes: 3 },
        ],
      ],
    ]);
    expect(freshnessSamples(commits, history)).toEqual([50, 200, 100]);
  });

  it("leaves out votes no tally reflected yet, and can sample every n-th vote", () => {
    const commits = new Map([["c1", [0, 10, 20, 30]]]);
    const history = new Map([["c1", [{ at: 25, votes: 2 }]]]);
    expect(freshnessSamples(commits, history)).toEqual([25, 15]);
    expect(freshnessSamples(commits, history, 2)).toEqual([25]);
  });

  it("takes nearest-rank quantiles", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile([7], 0.99)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
