import { describe, expect, it } from "vitest";
import { canonical } from "./reconciler.js";

describe("a status compared with the one read back", () => {
  it("is the same whatever order its fields come back in", () => {
    const ours = { phase: "Voting", conditions: [{ type: "Registered", status: "True", reason: "R" }] };
    const stored = { conditions: [{ reason: "R", status: "True", type: "Registered" }], phase: "Voting" };
    expect(canonical(ours)).toBe(canonical(stored));
    expect(canonical({ ...ours, phase: "Tallying" })).not.toBe(canonical(stored));
    // A list's order is its content.
    expect(canonical({ a: [1, 2] })).not.toBe(canonical({ a: [2, 1] }));
  });
});
