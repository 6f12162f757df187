import { describe, expect, it } from "vitest";
import { VoterChoice, WeightedTable, voteId, voterId } from "./choice.js";
import { defaultElection } from "../../tests/support/example-elections.js";

describe("deterministic choice", () => {
  const choice = new VoterChoice(defaultElection, 2026);

  it("gives the same voter the same choice and vote id every time", () => {
    const id = voterId(2026, 41);
    expect(new VoterChoice(defaultElection, 2026).choose(id, "Ohio")).toEqual(choice.choose(id, "Ohio"));
    expect(voteId(2026, id)).toBe(voteId(2026, id));
    expect(voteId(2026, id)).not.toBe(voteId(2027, id));
    expect(voteId(2026, id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("follows the region's turnout and preferences over many voters", () => {
    const region = defaultElection.regions.find((r) => r.state === "Texas")!;
    let voted = 0;
    const counts = new Map<string, number>();
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const c = choice.choose(voterId(1, i), "Texas");
      if (!c.votes) continue;
      voted++;
      counts.set(c.candidateId, (counts.get(c.candidateId) ?? 0) + 1);
    }
    expect(voted / n).toBeCloseTo(region.turnout, 1);
    const total = Object.values(region.preferences).reduce((a, b) => a + b, 0);
    expect((counts.get("cand-whitfield") ?? 0) / voted).toBeCloseTo(
      region.preferences["cand-whitfield"]! / total,
      1,
    );
  });

  it("uses the national average for a state the election does not list", () => {
    const c = choice.choose(voterId(1, 1), "Atlantis");
    if (c.votes) expect(defaultElection.candidates.map((x) => x.candidate_id)).toContain(c.candidateId);
  });

  it("picks by weight and never a zero weight", () => {
    const items = ["a", "b", "c"];
    const table = new WeightedTable(items, (x) => ({ a: 1, b: 0, c: 3 })[x] ?? 0);
    expect(table.pick(0)).toBe("a");
    expect(table.pick(0.24)).toBe("a");
    expect(table.pick(0.26)).toBe("c");
    expect(table.pick(0.999999999)).toBe("c");
  });
});
