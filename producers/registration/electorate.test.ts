import { describe, expect, it } from "vitest";
import { defaultElection } from "../../tests/support/example-elections.js";
import { drawVoters } from "./electorate.js";

describe("electorate", () => {
  it("draws the same voters whatever the batch boundaries", () => {
    const whole = drawVoters(defaultElection, 9, 0, 1_200);
    const pieces = [
      ...drawVoters(defaultElection, 9, 0, 333),
      ...drawVoters(defaultElection, 9, 333, 507),
      ...drawVoters(defaultElection, 9, 507, 1_200),
    ];
    expect(pieces).toEqual(whole);
    expect(drawVoters(defaultElection, 10, 0, 5)).not.toEqual(whole.slice(0, 5));
  });

  it("draws adults spread over the election's states, with unique ids and registration numbers", () => {
    const voters = drawVoters(defaultElection, 1, 0, 5_000);
    expect(new Set(voters.map((v) => v.voter_id)).size).toBe(5_000);
    expect(new Set(voters.map((v) => v.registration_number)).size).toBe(5_000);
    const states = new Set(defaultElection.regions.map((r) => r.state));
    for (const v of voters) {
      expect(states.has(v.address.state)).toBe(true);
      expect(v.registered_age).toBeGreaterThanOrEqual(18);
      expect(["female", "male", "other"]).toContain(v.gender);
    }
    const california = voters.filter((v) => v.address.state === "California").length / voters.length;
    expect(california).toBeCloseTo(0.2, 1);
  });
});
