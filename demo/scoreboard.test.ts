import { describe, expect, it } from "vitest";
import type { ElectionSnapshot } from "../local/election/snapshot.js";
import { leader, renderScoreboard, statusLine } from "./scoreboard.js";

const snapshot: ElectionSnapshot = {
  at: new Date("2026-11-03T20:15:30Z"),
  registered: 1000,
  ledgerVotes: 610,
  candidates: [
    { name: "Beth Ortiz", party: "Prairie Alliance", votes: 200 },
    { name: "Ava Moreno", party: "Harbor Party", votes: 400 },
  ],
  states: [{ state: "Ohio", registered: 500, votes: 300, turnoutPct: 60 }],
  votesPerSecond: 123.4,
};

describe("the terminal scoreboard", () => {
  it("names the leader and the margin in votes and points", () => {
    expect(leader(snapshot)).toBe("leader: Ava Moreno (Harbor Party) by 200 votes (33.3 pts)");
  });

  it("says so when nobody has a vote or the race is tied", () => {
    expect(leader({ ...snapshot, candidates: [] })).toBe("leader: none yet");
    expect(
      leader({
        ...snapshot,
        candidates: [
          { name: "A", party: "P", votes: 5 },
          { name: "B", party: "Q", votes: 5 },
        ],
      }),
    ).toBe("leader: tied at 5 votes");
  });

  it("lists candidates by votes with their share, then turnout by state", () => {
    const lines = renderScoreboard(snapshot);
    expect(lines[1]).toContain("tallied 600   turnout 60.0%   123 votes/s");
    const ava = lines.findIndex((l) => l.startsWith("Ava Moreno"));
    const beth = lines.findIndex((l) => l.startsWith("Beth Ortiz"));
    expect(ava).toBeGreaterThan(0);
    expect(beth).toBeGreaterThan(ava);
    expect(lines[ava]).toContain("66.7%");
    expect(lines.at(-1)).toMatch(/^Ohio\s+500\s+300\s+60\.0%$/);
  });

  it("has a one-line form for logs", () => {
    expect(statusLine(snapshot)).toBe(
      "election: ledger=610 tallied=600 votes_per_s=123 leader: Ava Moreno (Harbor Party) by 200 votes (33.3 pts)",
    );
  });
});
