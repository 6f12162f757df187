import { describe, expect, it } from "vitest";
import { topics } from "../topics.js";
import { databaseSchema, electionNames, electionOfSchema } from "./names.js";

describe("what an election owns", () => {
  it("is named after the election, every topic with its declared partitions and configs", () => {
    const names = electionNames("city-council");
    expect(names.topics.votesPerCandidate.name).toBe("city-council.aggregated_votes_per_candidate");
    expect(names.topics.turnoutByLocation.name).toBe("city-council.aggregated_turnout_by_location");
    expect(names.topics.votes).toEqual({ ...topics.votes, name: "city-council.votes" });
    expect(names.databaseSchema).toBe("election_city_council");
    expect([names.votingGroup, names.tallyGroup, names.tallyJob]).toEqual([
      "livetally-voting-city-council",
      "livetally-tallies-city-council",
      "livetally-tallies-city-council",
    ]);
  });

  it("shares nothing between two elections", () => {
    const a = Object.values(electionNames("general-2026")).flatMap((v: unknown) =>
      typeof v === "string" ? [v] : Object.values(v as object).map((t: { name: string }) => t.name),
    );
    const b = new Set(
      Object.values(electionNames("general-2027")).flatMap((v: unknown) =>
        typeof v === "string" ? [v] : Object.values(v as object).map((t: { name: string }) => t.name),
      ),
    );
    expect(a.filter((name) => b.has(name))).toEqual([]);
  });

  it("maps database schemas back to their election, one to one", () => {
    expect(electionOfSchema(databaseSchema("a-b-1"))).toBe("a-b-1");
    expect(electionOfSchema("public")).toBeUndefined();
  });
});
