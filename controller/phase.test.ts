import { describe, expect, it } from "vitest";
import type { Certification } from "../flink-sql/certification.js";
import type { ElectionStatus } from "../schemas/generated/election-status.js";
import { certificationDue, isSettled, nextStatus, type DataObservation, type Stage } from "./phase.js";

const at = new Date("2026-11-03T20:00:00Z");
const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
const ELECTORATE = 1000;

function data(
  over: Partial<DataObservation> = {},
  tallies: Partial<DataObservation["tallies"]> = {},
): DataObservation {
  return {
    published: ELECTORATE,
    votersPending: 0,
    ledgerVotes: undefined,
    ...over,
    tallies: {
      registered: 1000,
      votesCast: 612,
      turnoutVotes: 612,
      leader: { candidateId: "a", name: "Ada", party: "P", votes: 400 },
      runnerUpVotes: 212,
      lastTallyTime: "2026-11-03T19:59:58Z",
      ...tallies,
    },
  };
}

const observed = (d: DataObservation, certification?: Certification, final = true): Stage => ({
  kind: "observed",
  objects: 15,
  data: d,
  job: { complete: false, failed: undefined },
  certification: certification ? { certification, final, at: at.toISOString() } : undefined,
});

const match: Certification = { match: true, votes: 612, tallied: 612, tables: [] };
const mismatch: Certification = {
  match: false,
  votes: 612,
  tallied: 610,
  tables: [
    { table: "tally_by_candidate", missing: 1, extra: 1 },
    { table: "tally_by_party", missing: 0, extra: 0 },
  ],
};

const phase = (stage: Stage, previous?: ElectionStatus) =>
  nextStatus(previous, 3, ELECTORATE, stage, at).status.phase;
const condition = (status: ElectionStatus, type: string) => status.conditions?.find((c) => c.type === type);

describe("an Election's phase, from what the controller observes", () => {
  it("goes Pending, Provisioning, Registering, Voting, Tallying, Certified as the election does", () => {
    expect(phase({ kind: "apply-failed", message: "no FlinkDeployment kind" })).toBe("Pending");
    expect(phase({ kind: "setting-up", objects: 15 })).toBe("Provisioning");
    expect(phase(observed(data({ published: 200, votersPending: 200 }, { votesCast: 0 })))).toBe(
      "Registering",
    );
    // Registration and voting may overlap: a vote counted means voting is open.
    expect(phase(observed(data({ published: 200, votersPending: 50 }, { votesCast: 80 })))).toBe("Voting");
    expect(phase(observed(data({ votersPending: 30 })))).toBe("Voting");
    expect(phase(observed(data({ votersPending: undefined })))).toBe("Voting");
    expect(phase(observed(data({ ledgerVotes: 612 })))).toBe("Tallying");
    expect(phase(observed(data({ ledgerVotes: 612 }), match))).toBe("Certified");
  });

  it("fails on an invalid Election, a failed registration Job, or a final mismatch", () => {
    expect(phase({ kind: "invalid", problems: ["spec.regions: electorate shares must sum to 1"] })).toBe(
      "Failed",
    );
    expect(
      phase({
        ...(observed(data()) as Extract<Stage, { kind: "observed" }>),
        job: { complete: false, failed: "BackoffLimitExceeded" },
      }),
    ).toBe("Failed");
    expect(phase(observed(data({ ledgerVotes: 612 }), mismatch, true))).toBe("Failed");
    // A mismatch while the tallies may still settle is not a verdict.
    expect(phase(observed(data({ ledgerVotes: 612 }), mismatch, false))).toBe("Tallying");
  });

  it("reports the streamed figures: votes, registered, turnout to two decimals, leader and margin", () => {
    const { status } = nextStatus(
      undefined,
      3,
      ELECTORATE,
      observed(data({ votersPending: 12 }, { registered: 3000, turnoutVotes: 1241 })),
      at,
    );
    expect(status).toMatchObject({
      observedGeneration: 3,
      registered: 3000,
      votesCast: 612,
      turnoutPercent: 41.37,
      leader: { candidateId: "a", name: "Ada", votes: 400 },
      margin: 188,
      votersPending: 12,
      lastTallyTime: "2026-11-03T19:59:58Z",
    });
  });

  it("certifies with the ledger's count, and says by how much a mismatch is off", () => {
    const certified = nextStatus(
      undefined,
      3,
      ELECTORATE,
      observed(data({ ledgerVotes: 612 }), match),
      at,
    ).status;
    expect(certified.certification).toEqual({
      result: "Match",
      ledgerVotes: 612,
      talliedVotes: 612,
      certifiedAt: at.toISOString(),
    });
    expect(condition(certified, "Certified")).toMatchObject({ status: "True", reason: "LedgerMatch" });
    const failed = nextStatus(
      undefined,
      3,
      ELECTORATE,
      observed(data({ ledgerVotes: 612 }), mismatch),
      at,
    ).status;
    expect(failed.certification?.differences).toEqual([
      { table: "tally_by_candidate", missing: 1, extra: 1 },
    ]);
    expect(condition(failed, "Certified")).toMatchObject({
      status: "False",
      reason: "LedgerMismatch",
      message:
        "the tallies count 610 votes against the ledger's 612 (2 short); rows differing from the ledger: tally_by_candidate 1 missing and 1 extra",
    });
    expect(isSettled(certified)).toBe(true);
    expect(isSettled(nextStatus(undefined, 3, ELECTORATE, observed(data()), at).status)).toBe(false);
  });

  it("moves a condition's lastTransitionTime only when its status changes, and records one event per phase change", () => {
    const first = nextStatus(undefined, 3, ELECTORATE, observed(data({ votersPending: 30 })), at);
    expect(first.events.map((e) => [e.type, e.reason])).toEqual([["Normal", "Voting"]]);
    const again = nextStatus(first.status, 3, ELECTORATE, observed(data({ votersPending: 10 })), later(5));
    expect(again.events).toEqual([]);
    expect(condition(again.status, "VotingClosed")?.lastTransitionTime).toBe(
      condition(first.status, "VotingClosed")?.lastTransitionTime,
    );
    expect(condition(again.status, "VotingClosed")?.message).toMatch(/^10 voters/);
    const closed = nextStatus(again.status, 3, ELECTORATE, observed(data({ ledgerVotes: 612 })), later(10));
    expect(condition(closed.status, "VotingClosed")).toMatchObject({
      status: "True",
      lastTransitionTime: "2026-11-03T20:00:10Z",
    });
    expect(closed.events.map((e) => e.reason)).toEqual(["Tallying"]);
    const failed = nextStatus(
      closed.status,
      3,
      ELECTORATE,
      observed(data({ ledgerVotes: 612 }), mismatch),
      later(20),
    );
    expect(failed.events).toEqual([expect.objectContaining({ type: "Warning", reason: "LedgerMismatch" })]);
  });

  it("warns once when applying fails, and says why in Provisioned", () => {
    const stage: Stage = { kind: "apply-failed", message: "kafkatopics.kafka.strimzi.io is not served" };
    const first = nextStatus(undefined, 1, ELECTORATE, stage, at);
    expect(first.events.map((e) => [e.type, e.reason])).toEqual([
      ["Normal", "Pending"],
      ["Warning", "ApplyFailed"],
    ]);
    expect(condition(first.status, "Provisioned")).toMatchObject({ status: "False", message: stage.message });
    expect(nextStatus(first.status, 1, ELECTORATE, stage, later(5)).events).toEqual([]);
  });
});

describe("when to certify", () => {
  const closedAt = (seconds: number): ElectionStatus =>
    nextStatus(undefined, 1, ELECTORATE, observed(data({ ledgerVotes: 612 })), later(seconds)).status;

  it("at once when the tallies count the ledger's votes, or more", () => {
    expect(certificationDue(closedAt(0), data({ ledgerVotes: 612 }), later(1), 60_000)).toEqual({
      due: true,
      final: false,
    });
    expect(certificationDue(closedAt(0), data({ ledgerVotes: 600 }), later(1), 60_000)).toEqual({
      due: true,
      final: false,
    });
  });

  it("not before the status says voting is over, nor while short tallies still move within the patience", () => {
    expect(certificationDue(undefined, data(), later(1), 60_000).due).toBe(false);
    expect(certificationDue(undefined, data({ ledgerVotes: 612 }), later(1), 60_000).due).toBe(false);
    const moving = data({ ledgerVotes: 700 }, { lastTallyTime: "2026-11-03T20:00:50Z" });
    expect(certificationDue(closedAt(0), moving, later(100), 60_000)).toEqual({ due: false, final: false });
  });

  it("as it stands, for good, once short tallies have stood still for the patience", () => {
    const still = data({ ledgerVotes: 700 }, { lastTallyTime: "2026-11-03T19:59:00Z" });
    expect(certificationDue(closedAt(0), still, later(61), 60_000)).toEqual({ due: true, final: true });
  });
});
