import type { Certification } from "../flink-sql/certification.js";
import type { ElectionStatus, ElectionStatusLeader } from "../schemas/generated/election-status.js";
import { conditionOf, mergeConditions, type ConditionValue } from "./conditions.js";
import type { ElectionEvent } from "./events.js";
import type { Phase } from "./metrics.js";

/** What the streamed tallies say (turnout_by_state, tally_by_candidate). */
export interface TallyFigures {
  readonly registered: number;
  /** Votes in the tally per candidate. */
  readonly votesCast: number;
  /** Votes in the turnout per state: the numerator of turnout. */
  readonly turnoutVotes: number;
  readonly leader: ElectionStatusLeader | undefined;
  readonly runnerUpVotes: number;
  readonly lastTallyTime: string | undefined;
}

/** An election's data as the controller reads it while it runs. */
export interface DataObservation {
  /** Voters registration has written to the register and the voters topic. */
  readonly published: number;
  readonly tallies: TallyFigures;
  /** Voters on the topic the voting service has not handled; undefined when the broker cannot say. */
  readonly votersPending: number | undefined;
  /** Votes in the ledger, read once voting is over. */
  readonly ledgerVotes: number | undefined;
}

/** The registration Job as its status says. */
export interface JobState {
  readonly complete: boolean;
  /** The Job's Failed condition's message, when it failed for good. */
  readonly failed: string | undefined;
}

/** A certification and whether it is the last word (a match, or a mismatch after the patience ran out). */
export interface CertificationOutcome {
  readonly certification: Certification;
  readonly final: boolean;
  readonly at: string;
}

/** How far the controller got with an Election in this reconcile. */
export type Stage =
  | { readonly kind: "invalid"; readonly problems: readonly string[] }
  | { readonly kind: "apply-failed"; readonly message: string }
  /** Applied; its database schema not yet set up (the setup step of its pods has not run). */
  | { readonly kind: "setting-up"; readonly objects: number }
  | {
      readonly kind: "observed";
      readonly objects: number;
      readonly data: DataObservation;
      readonly job: JobState;
      readonly certification: CertificationOutcome | undefined;
    };

export interface NextStatus {
  readonly status: ElectionStatus;
  readonly events: readonly ElectionEvent[];
}

const count = (n: number) => n.toLocaleString("en-US");

/** A certified election, or one certified as failed, stays so: it is a record, not an observation. */
export function isSettled(status: ElectionStatus | undefined): boolean {
  return status?.certification !== undefined;
}

function certificationNote(c: Certification): string {
  const differences = c.tables
    .filter((t) => t.missing > 0 || t.extra > 0)
    .map((t) => `${t.table} ${t.missing} missing and ${t.extra} extra`);
  const short = c.votes - c.tallied;
  const by =
    short === 0 ? "the same count" : short > 0 ? `${count(short)} short` : `${count(-short)} too many`;
  return (
    `the tallies count ${count(c.tallied)} votes against the ledger's ${count(c.votes)} (${by})` +
    (differences.length > 0 ? `; rows differing from the ledger: ${differences.join(", ")}` : "")
  );
}

interface Figures {
  readonly phase: Phase;
  readonly conditions: readonly ConditionValue[];
  readonly data?: DataObservation;
  readonly certification?: CertificationOutcome;
}

function figures(stage: Stage, electorate: number): Figures {
  const unknown = (type: ConditionValue["type"], reason: string, message: string): ConditionValue => ({
    type,
    status: "Unknown",
    reason,
    message,
  });
  const later = (reason: string, message: string): ConditionValue[] => [
    unknown("Registered", reason, message),
    unknown("VotingClosed", reason, message),
    unknown("Tallied", reason, message),
    unknown("Certified", reason, message),
  ];
  switch (stage.kind) {
    case "invalid":
      return {
        phase: "Failed",
        conditions: [
          {
            type: "Provisioned",
            status: "False",
            reason: "InvalidElection",
            message: `the Election is not valid: ${stage.problems.join("; ")}`,
          },
          ...later("InvalidElection", "nothing runs until the Election is valid"),
        ],
      };
    case "apply-failed":
      return {
        phase: "Pending",
        conditions: [
          { type: "Provisioned", status: "False", reason: "ApplyFailed", message: stage.message },
          ...later("NotProvisioned", "waiting for the election's objects to be applied"),
        ],
      };
    case "setting-up":
      return {
        phase: "Provisioning",
        conditions: [
          applied(stage.objects),
          ...later(
            "AwaitingSetup",
            "waiting for the election's setup: its topics, subjects and database schema",
          ),
        ],
      };
    case "observed":
      return observed(stage, electorate);
  }
}

function applied(objects: number): ConditionValue {
  return {
    type: "Provisioned",
    status: "True",
    reason: "ObjectsApplied",
    message: `${objects} objects applied`,
  };
}

function observed(stage: Extract<Stage, { kind: "observed" }>, electorate: number): Figures {
  const { data, job, certification } = stage;
  const registeredDone = job.complete || data.published >= electorate;
  const registered: ConditionValue = job.failed
    ? { type: "Registered", status: "False", reason: "RegistrationFailed", message: job.failed }
    : registeredDone
      ? {
          type: "Registered",
          status: "True",
          reason: "ElectorateRegistered",
          message: `${count(electorate)} of ${count(electorate)} voters registered`,
        }
      : {
          type: "Registered",
          status: "False",
          reason: "Registering",
          message: `${count(data.published)} of ${count(electorate)} voters registered`,
        };
  const closed = registeredDone && data.votersPending === 0;
  const votingClosed: ConditionValue = closed
    ? {
        type: "VotingClosed",
        status: "True",
        reason: "AllVotersHandled",
        message: "every registered voter has been through the voting service",
      }
    : {
        type: "VotingClosed",
        status: "False",
        reason: data.votersPending === undefined ? "VotingProgressUnknown" : "VotersPending",
        message:
          data.votersPending === undefined
            ? "the broker cannot say how far the voting service is just now"
            : `${count(data.votersPending)} voters on the topic not yet handled${registeredDone ? "" : ", and registration goes on"}`,
      };
  const ledger = data.ledgerVotes;
  const tallied: ConditionValue =
    closed && ledger !== undefined
      ? data.tallies.votesCast === ledger
        ? {
            type: "Tallied",
            status: "True",
            reason: "TalliesCountLedger",
            message: `the tallies count all ${count(ledger)} votes of the ledger`,
          }
        : {
            type: "Tallied",
            status: "False",
            reason: "TalliesBehind",
            message: `the tallies count ${count(data.tallies.votesCast)} of the ledger's ${count(ledger)} votes`,
          }
      : { type: "Tallied", status: "Unknown", reason: "VotingOpen", message: "voting is not over" };
  const certified: ConditionValue =
    certification === undefined
      ? {
          type: "Certified",
          status: "Unknown",
          reason: closed ? "TalliesSettling" : "VotingOpen",
          message: closed ? "waiting for the tallies to settle" : "certified once voting is over",
        }
      : certification.certification.match
        ? {
            type: "Certified",
            status: "True",
            reason: "LedgerMatch",
            message: `every result table equals the ledger: ${count(certification.certification.votes)} votes`,
          }
        : {
            type: "Certified",
            status: certification.final ? "False" : "Unknown",
            reason: certification.final ? "LedgerMismatch" : "TalliesSettling",
            message: certificationNote(certification.certification),
          };
  const phase: Phase = job.failed
    ? "Failed"
    : certification?.final
      ? certification.certification.match
        ? "Certified"
        : "Failed"
      : closed
        ? "Tallying"
        : !registeredDone && data.tallies.votesCast === 0
          ? "Registering"
          : "Voting";
  return {
    phase,
    conditions: [applied(stage.objects), registered, votingClosed, tallied, certified],
    data,
    ...(certification?.final ? { certification } : {}),
  };
}

const PHASE_NOTES: Record<Phase, string> = {
  Pending: "waiting for the election's objects to be applied",
  Provisioning: "objects applied; waiting for its topics, subjects and database schema",
  Registering: "registering the electorate",
  Voting: "voting is open",
  Tallying: "voting is over; the tallies are settling",
  Certified: "the streamed tallies equal the ledger",
  Failed: "the election cannot go on",
};

/**
 * The status an Election moves to from what the controller observed, and the events that move
 * is worth: one per phase change, Normal except into Failed.
 */
export function nextStatus(
  previous: ElectionStatus | undefined,
  generation: number,
  electorate: number,
  stage: Stage,
  now: Date,
): NextStatus {
  const f = figures(stage, electorate);
  const at = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  const conditions = mergeConditions(previous?.conditions, f.conditions, generation, at);
  const t = f.data?.tallies;
  const status: ElectionStatus = {
    observedGeneration: generation,
    phase: f.phase,
    ...(t
      ? {
          registered: t.registered,
          votesCast: t.votesCast,
          turnoutPercent: t.registered === 0 ? 0 : Math.round((10_000 * t.turnoutVotes) / t.registered) / 100,
          ...(t.leader ? { leader: t.leader, margin: t.leader.votes - t.runnerUpVotes } : {}),
          ...(t.lastTallyTime ? { lastTallyTime: t.lastTallyTime } : {}),
        }
      : {}),
    ...(f.data?.votersPending !== undefined ? { votersPending: f.data.votersPending } : {}),
    ...(f.certification
      ? {
          certification: {
            result: f.certification.certification.match ? "Match" : "Mismatch",
            ledgerVotes: f.certification.certification.votes,
            talliedVotes: f.certification.certification.tallied,
            certifiedAt: f.certification.at,
            ...(f.certification.certification.match
              ? {}
              : {
                  differences: f.certification.certification.tables
                    .filter((d) => d.missing > 0 || d.extra > 0)
                    .map((d) => ({ table: d.table, missing: d.missing, extra: d.extra })),
                }),
          },
        }
      : {}),
    conditions,
  };
  const events: ElectionEvent[] = [];
  if (previous?.phase !== f.phase) {
    // What failed: the verdict, the registration or the document, in that order.
    const failing = (["Certified", "Registered", "Provisioned"] as const)
      .map((type) => conditionOf(conditions, type))
      .find((c) => c?.status === "False");
    events.push(
      f.phase === "Failed"
        ? {
            type: "Warning",
            reason: failing?.reason ?? "Failed",
            action: "Observe",
            note: failing?.message ?? PHASE_NOTES.Failed,
          }
        : { type: "Normal", reason: f.phase, action: "Observe", note: PHASE_NOTES[f.phase] },
    );
  }
  const provisioned = conditionOf(conditions, "Provisioned");
  if (
    provisioned?.reason === "ApplyFailed" &&
    conditionOf(previous?.conditions, "Provisioned")?.reason !== "ApplyFailed"
  ) {
    events.push({ type: "Warning", reason: "ApplyFailed", action: "Apply", note: provisioned.message });
  }
  return { status, events };
}

/**
 * Whether to certify now, once the status says voting is over: when the tallies count exactly the
 * ledger's votes (or more, which can only be a mismatch), or when they have stood still short of it
 * for the patience.
 * `final` says whether a mismatch found now is the verdict or only the tallies still settling.
 */
export function certificationDue(
  previous: ElectionStatus | undefined,
  data: DataObservation,
  now: Date,
  patienceMs: number,
): { readonly due: boolean; readonly final: boolean } {
  const ledger = data.ledgerVotes;
  const closed = conditionOf(previous?.conditions, "VotingClosed");
  // The status says voting is over (Tallying) before any verdict is reached.
  if (ledger === undefined || closed?.status !== "True") return { due: false, final: false };
  const since = Math.max(
    Date.parse(closed.lastTransitionTime),
    data.tallies.lastTallyTime ? Date.parse(data.tallies.lastTallyTime) : 0,
  );
  const patienceOver = now.getTime() - since >= patienceMs;
  if (data.tallies.votesCast >= ledger) return { due: true, final: patienceOver };
  return { due: patienceOver, final: patienceOver };
}
