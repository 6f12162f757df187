import { describe, expect, it } from "vitest";
import { defaultElection } from "./default-election.js";
import { electionProblems, validateElection, type ElectionDefinition } from "./definition.js";

describe("election definition", () => {
  it("accepts the default election", () => {
    expect(electionProblems(defaultElection)).toEqual([]);
  });

  it("names every problem of a broken definition", () => {
    const broken: ElectionDefinition = {
      ...defaultElection,
      electionDay: "soon",
      candidates: [defaultElection.candidates[0]!, defaultElection.candidates[0]!],
      regions: [
        { state: "Nowhere", code: "nw", electorateShare: 0.5, turnout: 1.5, preferences: { ghost: 1 } },
      ],
    };
    const problems = electionProblems(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        "electionDay=soon: expected a date YYYY-MM-DD",
        "candidate cand-harper: listed twice",
        "region Nowhere: code nw is not two capital letters",
        "region Nowhere: turnout must be from 0 to 1",
        "region Nowhere: preference for unknown candidate ghost",
        "regions: electorate shares sum to 0.500000, expected 1",
      ]),
    );
    expect(() => validateElection(broken)).toThrow(/invalid election/);
  });
});
