import { describe, expect, it } from "vitest";
import type { Election } from "../generated/election.js";
import { electionProblems, validateElection } from "./validate.js";

type Mutable<T> = T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;
type Document = Mutable<Election>;

const candidate = (id: string) => ({
  id,
  name: `Candidate ${id}`,
  party: "Party",
  biography: "",
  platform: "",
  photoUrl: `https://example.org/${id}.jpg`,
});

const sound: Election = {
  apiVersion: "livetally.io/v1alpha1",
  kind: "Election",
  metadata: { name: "test-election" },
  spec: {
    title: "Test election",
    electionDay: "2026-11-03",
    country: "Testland",
    nationality: "TL",
    candidates: [candidate("cand-a"), candidate("cand-b"), candidate("cand-c")],
    regions: [
      {
        state: "North",
        code: "NO",
        electorateShare: 0.5,
        turnout: 0.6,
        preferences: { "cand-a": 2, "cand-b": 1 },
      },
      {
        state: "South",
        code: "SO",
        electorateShare: 0.3,
        turnout: 0.5,
        preferences: { "cand-a": 1, "cand-b": 2 },
      },
      { state: "East", code: "EA", electorateShare: 0.2, turnout: 0.7, preferences: { "cand-c": 1 } },
    ],
    electorate: { voters: 1000, seed: 1 },
    voting: { rateLimit: 100 },
  },
};

/** The sound document, changed. */
function broken(change: (d: Document) => void): Document {
  const d = structuredClone(sound) as Document;
  change(d);
  return d;
}

const dnsLabel =
  "must be a DNS label: lower-case letters, digits and hyphens, starting and ending with a letter or digit";

describe("validateElection", () => {
  it("accepts a sound election and gives it back typed", () => {
    expect(electionProblems(sound)).toEqual([]);
    expect(validateElection(sound)).toEqual({ ok: true, election: sound });
  });

  it("accepts an election without the optional description and voting", () => {
    expect(electionProblems(broken((d) => Reflect.deleteProperty(d.spec, "voting")))).toEqual([]);
  });

  it("refuses a broken one with its problems, not the document", () => {
    expect(validateElection(broken((d) => (d.spec.electorate.voters = 0)))).toEqual({
      ok: false,
      problems: ["spec.electorate.voters: must be at least 1"],
    });
  });

  const cases: [string, unknown, string[]][] = [
    ["a missing field", broken((d) => Reflect.deleteProperty(d.spec, "title")), ["spec.title: is required"]],
    [
      "a missing section",
      broken((d) => Reflect.deleteProperty(d.spec, "electorate")),
      ["spec.electorate: is required"],
    ],
    [
      "a wrong type",
      broken((d) => Object.assign(d.spec.electorate, { voters: "many" })),
      ["spec.electorate.voters: must be an integer"],
    ],
    [
      "a fraction of a voter",
      broken((d) => (d.spec.electorate.voters = 10.5)),
      ["spec.electorate.voters: must be an integer"],
    ],
    [
      "negative voters",
      broken((d) => (d.spec.electorate.voters = -5)),
      ["spec.electorate.voters: must be at least 1"],
    ],
    [
      "shares that do not sum to 1",
      broken((d) => (d.spec.regions[0]!.electorateShare = 0.4)),
      ["spec.regions: electorate shares must sum to 1 (they sum to 0.9)"],
    ],
    [
      "a share of 0, which also breaks the sum",
      broken((d) => (d.spec.regions[2]!.electorateShare = 0)),
      [
        "spec.regions[2].electorateShare: must be greater than 0",
        "spec.regions: electorate shares must sum to 1 (they sum to 0.8)",
      ],
    ],
    [
      "a turnout above 1",
      broken((d) => (d.spec.regions[1]!.turnout = 1.2)),
      ["spec.regions[1].turnout: must be at most 1"],
    ],
    [
      "an unknown candidate in preferences",
      broken((d) => (d.spec.regions[2]!.preferences["cand-x"] = 1)),
      ["spec.regions[2].preferences.cand-x: preferences must name known candidates"],
    ],
    [
      "a negative weight",
      broken((d) => (d.spec.regions[0]!.preferences["cand-b"] = -1)),
      ["spec.regions[0].preferences.cand-b: must be at least 0"],
    ],
    [
      "a region where nobody has any weight",
      broken((d) => (d.spec.regions[1]!.preferences = { "cand-a": 0, "cand-b": 0 })),
      ["spec.regions[1].preferences: some candidate must have a weight above 0"],
    ],
    [
      "duplicate candidate ids",
      broken((d) => d.spec.candidates.push(candidate("cand-b"), candidate("cand-a"))),
      [
        'spec.candidates[3].id: candidate ids must be unique ("cand-b" is also spec.candidates[1].id)',
        'spec.candidates[4].id: candidate ids must be unique ("cand-a" is also spec.candidates[0].id)',
      ],
    ],
    [
      "a candidate id that is not a DNS label",
      broken((d) => (d.spec.candidates[0]!.id = "Cand A")),
      [
        `spec.candidates[0].id: ${dnsLabel}`,
        "spec.regions[0].preferences.cand-a: preferences must name known candidates",
        "spec.regions[1].preferences.cand-a: preferences must name known candidates",
      ],
    ],
    [
      "duplicate region codes",
      broken((d) => (d.spec.regions[2]!.code = "NO")),
      ['spec.regions[2].code: region codes must be unique ("NO" is also spec.regions[0].code)'],
    ],
    [
      "duplicate region states",
      broken((d) => (d.spec.regions[1]!.state = "North")),
      ['spec.regions[1].state: region states must be unique ("North" is also spec.regions[0].state)'],
    ],
    [
      "a region code that is not two capital letters",
      broken((d) => (d.spec.regions[0]!.code = "Nor")),
      [
        "spec.regions[0].code: must be at most 2 characters",
        "spec.regions[0].code: must be two capital letters",
      ],
    ],
    [
      "a bad metadata.name",
      broken((d) => (d.metadata.name = "Test_Election")),
      [`metadata.name: ${dnsLabel}`],
    ],
    [
      "a metadata.name too long for the names derived from it",
      broken((d) => (d.metadata.name = "a".repeat(40))),
      ["metadata.name: must be at most 39 characters"],
    ],
    [
      "no metadata.name",
      broken((d) => Reflect.deleteProperty(d.metadata, "name")),
      ["metadata.name: is required"],
    ],
    [
      "closing before opening",
      broken(
        (d) => (d.spec.voting = { opensAt: "2026-11-03T20:00:00Z", closesAt: "2026-11-03T07:00:00-05:00" }),
      ),
      ["spec.voting.closesAt: must be after opensAt (it opens at 2026-11-03T20:00:00Z)"],
    ],
    [
      "closing as it opens",
      broken(
        (d) => (d.spec.voting = { opensAt: "2026-11-03T12:00:00Z", closesAt: "2026-11-03T07:00:00-05:00" }),
      ),
      ["spec.voting.closesAt: must be after opensAt (it opens at 2026-11-03T12:00:00Z)"],
    ],
    [
      "a time without a time zone",
      broken((d) => (d.spec.voting = { opensAt: "2026-11-03T07:00:00" })),
      ["spec.voting.opensAt: must be an RFC 3339 date-time with a time zone, e.g. 2026-11-03T07:00:00-05:00"],
    ],
    [
      "an election day that is not a date",
      broken((d) => (d.spec.electionDay = "2026-02-30")),
      ["spec.electionDay: must be a date, YYYY-MM-DD"],
    ],
    [
      "a rate limit of 0",
      broken((d) => (d.spec.voting = { rateLimit: 0 })),
      ["spec.voting.rateLimit: must be greater than 0"],
    ],
    [
      "the wrong apiVersion and kind",
      broken((d) => Object.assign(d, { apiVersion: "livetally.io/v1", kind: "Elections" })),
      ["apiVersion: must be livetally.io/v1alpha1", "kind: must be Election"],
    ],
    [
      "an unknown field",
      broken((d) => Object.assign(d.spec, { colour: "blue" })),
      ["spec.colour: unknown field"],
    ],
    [
      "no candidates, so every preference names an unknown one",
      broken((d) => (d.spec.candidates = [])),
      [
        "spec.candidates: must have at least 2 items",
        "spec.regions[0].preferences.cand-a: preferences must name known candidates",
        "spec.regions[0].preferences.cand-b: preferences must name known candidates",
        "spec.regions[1].preferences.cand-a: preferences must name known candidates",
        "spec.regions[1].preferences.cand-b: preferences must name known candidates",
        "spec.regions[2].preferences.cand-c: preferences must name known candidates",
      ],
    ],
    [
      "no regions",
      broken((d) => (d.spec.regions = [])),
      [
        "spec.regions: must have at least 1 items",
        "spec.regions: electorate shares must sum to 1 (they sum to 0)",
      ],
    ],
    ["a document that is not an object", ["an", "election"], ["document: must be an object"]],
  ];

  it.each(cases)("refuses %s, with the path of each problem", (_, document, problems) => {
    expect(electionProblems(document)).toEqual(problems);
  });

  it("reports every problem at once, and checks the rules whose fields are sound", () => {
    const problems = electionProblems(
      broken((d) => {
        Reflect.deleteProperty(d.spec, "country");
        Reflect.deleteProperty(d.spec.regions[1]!, "preferences");
        d.spec.candidates.push(candidate("cand-a"));
        d.metadata.name = "-test";
        d.spec.voting = { opensAt: "2026-11-03T20:00:00Z", closesAt: "2026-11-03T19:00:00Z" };
      }),
    );
    expect(problems).toEqual([
      `metadata.name: ${dnsLabel}`,
      "spec.country: is required",
      "spec.regions[1].preferences: is required",
      'spec.candidates[3].id: candidate ids must be unique ("cand-a" is also spec.candidates[0].id)',
      // A region without preferences: the rules over the regions cannot be checked, the others can.
      "spec.voting.closesAt: must be after opensAt (it opens at 2026-11-03T20:00:00Z)",
    ]);
  });

  it("quotes keys that would make a path ambiguous", () => {
    expect(electionProblems(broken((d) => (d.spec.regions[0]!.preferences["cand.x"] = 1)))).toEqual([
      'spec.regions[0].preferences["cand.x"]: preferences must name known candidates',
    ]);
  });
});
