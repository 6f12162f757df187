import { describe, expect, it } from "vitest";
import { defaultElection } from "../election/default-election.js";
import { parseRegistrationArgs } from "./args.js";
import { drawVoters } from "./electorate.js";
import { copyRows } from "./register.js";

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

describe("registration arguments", () => {
  it("reads flags, then the environment, then defaults", () => {
    expect(parseRegistrationArgs(["--voters", "5", "--seed=3"], {}, 2026)).toEqual({ voters: 5, seed: 3 });
    expect(parseRegistrationArgs([], { VOTERS: "12" }, 2026)).toEqual({ voters: 12, seed: 2026 });
    expect(parseRegistrationArgs([], {}, 7)).toEqual({ voters: 10_000, seed: 7 });
  });

  it("rejects bad values with one line each", () => {
    expect(() => parseRegistrationArgs(["--voters", "-1", "--seed", "x"], {}, 1)).toThrow(
      /--voters=-1: expected a whole number of at least 0\n--seed=x: expected a whole number of at least 0/,
    );
    expect(() => parseRegistrationArgs(["--bogus"], {}, 1)).toThrow(/unknown argument --bogus/);
  });
});

describe("copyRows", () => {
  it("writes a tab-separated line per voter in the voters table's column order", () => {
    const [voter] = drawVoters(defaultElection, 3, 0, 1).map((v) => ({ ...v, registered_at: 0 }));
    if (voter === undefined) throw new Error("no voter drawn");
    const fields = copyRows([voter]).split("\n")[0]?.split("\t");
    expect(fields).toHaveLength(17);
    expect(fields?.[0]).toBe(voter.voter_id);
    expect(fields?.[8]).toBe(voter.address.state);
    expect(fields?.slice(-2)).toEqual([String(voter.registered_age), "1970-01-01T00:00:00.000Z"]);
    expect(copyRows([voter, voter]).split("\n")).toHaveLength(3);
  });

  it("escapes backslashes, tabs and line breaks, which COPY would read as structure", () => {
    const [drawn] = drawVoters(defaultElection, 3, 0, 1);
    if (drawn === undefined) throw new Error("no voter drawn");
    const line = copyRows([{ ...drawn, name: "O\\Brien\tthe\nsecond\r", registered_at: 0 }]);
    expect(line.split("\t")[1]).toBe("O\\\\Brien\\tthe\\nsecond\\r");
  });
});
