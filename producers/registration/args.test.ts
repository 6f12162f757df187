import { describe, expect, it } from "vitest";
import { parseRegistrationArgs } from "./args.js";

describe("registration arguments", () => {
  it("registers the whole electorate unless told how many of its first voters", () => {
    expect(parseRegistrationArgs([], 2_000)).toEqual({ voters: 2_000 });
    expect(parseRegistrationArgs(["--voters", "5"], 2_000)).toEqual({ voters: 5 });
    expect(parseRegistrationArgs(["--voters=0"], 2_000)).toEqual({ voters: 0 });
  });

  it("rejects a count beyond the electorate, a bad count and unknown arguments", () => {
    expect(() => parseRegistrationArgs(["--voters", "2001"], 2_000)).toThrow(
      /--voters=2001: expected a whole number from 0 to 2000, the electorate/,
    );
    expect(() => parseRegistrationArgs(["--voters", "x"], 2_000)).toThrow(/--voters=x/);
    expect(() => parseRegistrationArgs(["--seed", "3"], 2_000)).toThrow(/unknown argument --seed/);
  });
});
