import { join } from "node:path";
import pg from "pg";
import { certify, type Certification } from "../../flink-sql/certification.js";
import { markClosed, markOpen, openElection, type OpenElection } from "../elections.js";
import { endpoints } from "../endpoints.js";
import { LockHeld, withLock } from "../lock.js";
import { stackContext } from "../stack.js";
import { cancelTallyJobs, liveTallyJob, resumeTallyJob } from "../tally-job.js";
import { sleep } from "../../producers/runtime/waiting.js";
import { VOTING_NODE_FLAGS } from "../../producers/voting/node-flags.js";
import { electionNames, type ElectionNames } from "../../schemas/election/names.js";
import type { Election } from "../../schemas/generated/election.js";
import { ElectionOffsets } from "./offsets.js";
import { Patience } from "./patience.js";
import { resetElection } from "./reset.js";
import { readSnapshot, type ElectionSnapshot } from "./snapshot.js";
import { startService } from "./services.js";
import { Supervised } from "./supervisor.js";

export interface ElectionRunOptions {
  /** The election, as its document declares it; its name is what everything it owns is kept under. */
  readonly election: Election;
  /** Where the voting service serves /healthz, /readyz and /metrics. */
  readonly votingPort: number;
  /** Register the whole electorate before voting opens (the demo) or let both run at once (the benchmark). */
  readonly registerFirst: boolean;
  /** Show registration's own progress bar (on a terminal). */
  readonly showRegistration: boolean;
  /** Carry on with the election of this name if it is open, rather than starting it anew. */
  readonly resume: boolean;
  readonly say: (line: string) => void;
  readonly onSnapshot?: (snapshot: ElectionSnapshot) => void;
  /**
   * Leave the tally job running once the election is certified, for a caller that inspects it; it is
   * cancelled otherwise, since it has nothing left to count and its task slot is the next election's.
   */
  readonly keepTallyJob?: boolean;
  /** Called while voting runs, as often as it likes to sample (the benchmark's freshness probe). */
  readonly whileVoting?: (db: pg.Pool, stop: AbortSignal, services: ElectionServices) => Promise<void>;
}

/** The election's services as they run, each supervised as its Kubernetes workload would be. */
export interface ElectionServices {
  readonly registration: Supervised;
  readonly voting: Supervised;
}

export interface ElectionRunResult {
  readonly election: OpenElection;
  /** Whether an open election was carried on rather than started. */
  readonly resumed: boolean;
  readonly registrationStartedAt: number;
  readonly votingStartedAt: number;
  readonly votingEndedAt: number;
  readonly certifiedAt: number;
  readonly certification: Certification;
  /** Records sent to the dead-letter topic instead of voting; a sound election has none. */
  readonly deadLetters: number;
  /** Times the supervisor started a service again after it died. */
  readonly restarts: number;
}

/** A tally job missing this long while its election is open is resumed by the run itself. */
const TALLY_JOB_GRACE_MS = 15_000;

/**
 * Watches over the election's tally job as the Flink operator would: when the job is gone (Flink
 * restarted without resuming it, or the job was cancelled) it is resumed from its newest checkpoint.
 */
class TallyJobWatch {
  private missingSince: number | undefined;

  constructor(
    private readonly election: string,
    private readonly patience: Patience,
    private readonly say: (line: string) => void,
  ) {}

  async check(): Promise<void> {
    const live = await this.patience.of("flink", () => liveTallyJob(this.election));
    if (live !== undefined) {
      this.missingSince = undefined;
      return;
    }
    this.missingSince ??= Date.now();
    if (Date.now() - this.missingSince < TALLY_JOB_GRACE_MS) return;
    this.say(`the tally job of ${this.election} is gone; resuming it from its newest checkpoint`);
    const resumed = await this.patience.of("flink", () => resumeTallyJob(stackContext(), this.election));
    this.say(
      `tally job ${resumed.jobId} running (from ${resumed.restoredFrom ?? "the start of the topics"})`,
    );
    this.missingSince = undefined;
  }
}

/**
 * Voting is over when registration has finished and the voting service has committed every voter in
 * the topic, which it does only once their vote is stored and produced.
 */
async function awaitVotingDone(
  services: ElectionServices,
  offsets: ElectionOffsets,
  db: pg.Pool,
  patience: Patience,
  tallyJob: TallyJobWatch,
  onSnapshot: ((s: ElectionSnapshot) => void) | undefined,
): Promise<void> {
  let registered = false;
  let registrationFailed: Error | undefined;
  services.registration.completed.then(
    () => (registered = true),
    (e: unknown) => (registrationFailed = e as Error),
  );
  let previous: ElectionSnapshot | undefined;
  for (let tick = 1; ; tick++) {
    // The broker is asked four times a second, so the election closes soon after its last vote; the
    // view refreshes once a second, the tally job is looked at every five.
    await sleep(250);
    if (registrationFailed) throw registrationFailed;
    if (tick % 4 === 0) {
      const before = previous;
      previous = await patience.of("postgres", () => readSnapshot(db, before));
      onSnapshot?.(previous);
    }
    if (tick % 20 === 0) await tallyJob.check();
    if (registered && (await patience.of("kafka", () => offsets.votersPending())) === 0) return;
  }
}

/**
 * Waits until the candidates' tallies add up to the closed ledger: a cheap sign the job has caught up,
 * so the exact certification (a full comparison, seconds of database time at a million voters) runs
 * once rather than over and over while the last votes are still on their way.
 */
async function awaitTallied(db: pg.Pool, patience: Patience, tallyJob: TallyJobWatch, deadline: number) {
  const ledger = await patience.of("postgres", async () => {
    const { rows } = await db.query<{ ledger: string }>("SELECT count(*) AS ledger FROM votes");
    return Number(rows[0]?.ledger);
  });
  for (let tick = 1; Date.now() < deadline; tick++) {
    const votes = await patience.of("postgres", async () => {
      const { rows } = await db.query<{ votes: string | null }>(
        "SELECT sum(votes) AS votes FROM tally_by_candidate",
      );
      return Number(rows[0]?.votes ?? 0);
    });
    if (votes === ledger) return;
    if (tick % 50 === 0) await tallyJob.check();
    await sleep(100);
  }
}

/**
 * Runs a whole election on the local stack, from an empty register (or from where an open election of
 * the same name stands) to certified tallies. Its services are supervised and the engines' outages
 * waited out, so a fault anywhere delays the election but does not end it.
 */
export async function runElection(options: ElectionRunOptions): Promise<ElectionRunResult> {
  const ctx = stackContext();
  // One run per election at a time: a second would register and vote for the same electorate.
  const name = options.election.metadata.name;
  const lock = join(ctx.settings.stackDir, "run", `election-${name}.lock`);
  try {
    return await withLock(lock, () => run(options), 0);
  } catch (e) {
    if (e instanceof LockHeld) {
      throw new Error(`the election ${name} is being run by another process (pid ${e.holder}) on this stack`);
    }
    throw e;
  }
}

async function run(options: ElectionRunOptions): Promise<ElectionRunResult> {
  const { say } = options;
  const ctx = stackContext();
  const patience = new Patience(say);
  const name = options.election.metadata.name;
  const open = options.resume ? openElection(ctx.settings, name) : undefined;
  let election: OpenElection;
  if (open) {
    election = open;
    const { electorate } = open.document.spec;
    say(
      `carrying on with the open election ${open.name} (opened ${open.openedAt}, ${electorate.voters.toLocaleString("en-US")} voters, seed ${electorate.seed}); DEMO_FRESH=1 starts it anew`,
    );
  } else {
    say(`resetting the election ${name} (its topics, subjects, tables, tally job; no other election's)`);
    await resetElection(name);
    election = { name, document: options.election, openedAt: new Date().toISOString() };
    markOpen(ctx.settings, election);
  }
  const names: ElectionNames = electionNames(name);
  const { electorate, voting: window } = election.document.spec;
  const rateLimit = window?.rateLimit ?? 0;
  const document = JSON.stringify(election.document);
  say("starting the Flink SQL tally job");
  const job = await patience.of("flink", () => resumeTallyJob(ctx, election.name));
  say(`tally job ${job.jobId} running${job.restoredFrom ? ` (resumed from ${job.restoredFrom})` : ""}`);
  const tallyJob = new TallyJobWatch(election.name, patience, say);

  const db = new pg.Pool({
    connectionString: endpoints().databaseUrl,
    max: 3,
    options: `-c search_path=${names.databaseSchema}`,
  });
  // A connection lost while idle (PostgreSQL restarting) is replaced at the next query.
  db.on("error", () => undefined);
  const offsets = await patience.of("kafka", () => ElectionOffsets.open(names));
  try {
    const registrationStartedAt = Date.now();
    say(`registering ${electorate.voters.toLocaleString("en-US")} voters (seed ${electorate.seed})`);
    const registration = new Supervised({
      name: "registration",
      policy: "on-failure",
      say,
      start: () =>
        startService(
          "registration",
          "producers/registration/main.ts",
          [],
          { ELECTION_DOCUMENT: document },
          { inheritOutput: options.showRegistration, logName: `registration-${name}` },
        ),
    });
    if (options.registerFirst) await registration.completed;

    const votingStartedAt = Date.now();
    say(`voting opens${rateLimit > 0 ? ` at up to ${rateLimit.toLocaleString("en-US")} votes/s` : ""}`);
    const voting = new Supervised({
      name: "the voting service",
      policy: "always",
      say,
      start: () =>
        startService(
          "voting",
          "producers/voting/main.ts",
          [],
          { ELECTION_DOCUMENT: document, HTTP_PORT: String(options.votingPort) },
          { logName: `voting-${name}`, nodeFlags: VOTING_NODE_FLAGS },
        ),
    });
    const services = { registration, voting };
    const stopSampling = new AbortController();
    const sampling = options.whileVoting?.(db, stopSampling.signal, services);
    try {
      await awaitVotingDone(services, offsets, db, patience, tallyJob, options.onSnapshot);
    } catch (e) {
      stopSampling.abort();
      await Promise.allSettled([voting.stop(), registration.stop(), sampling]);
      throw e;
    }
    // Every vote is stored and produced: the service winds down while the tallies settle.
    const votingStopped = voting.stop();
    await registration.completed;
    const votingEndedAt = Date.now();
    say("voting closed; waiting for the tallies to settle");

    await awaitTallied(db, patience, tallyJob, Date.now() + 120_000);
    let certification = await patience.of("postgres", () => certify(db));
    const deadline = Date.now() + 120_000;
    while (!certification.match && Date.now() < deadline) {
      await sleep(500);
      certification = await patience.of("postgres", () => certify(db));
    }
    const certifiedAt = Date.now();
    await votingStopped;
    stopSampling.abort();
    await sampling;
    options.onSnapshot?.(await patience.of("postgres", () => readSnapshot(db, undefined, "exact")));
    const deadLetters = await patience.of("kafka", () => offsets.deadLetters());
    markClosed(ctx.settings, election.name);
    if (!(options.keepTallyJob ?? false)) await patience.of("flink", () => cancelTallyJobs(election.name));
    return {
      election,
      resumed: open !== undefined,
      registrationStartedAt,
      votingStartedAt,
      votingEndedAt,
      certifiedAt,
      certification,
      deadLetters,
      restarts: registration.restarts + voting.restarts,
    };
  } finally {
    await offsets.close().catch(() => undefined);
    await db.end();
  }
}
