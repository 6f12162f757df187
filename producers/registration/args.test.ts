import { describe, expect, it } from "vitest";
import { parseRegistrationArgs } from "./args.js";

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
