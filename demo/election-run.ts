import pg from "pg";
import { certify, type Certification } from "../flink-sql/certification.js";
import { awaitRunning, submitTallyJob } from "../flink-sql/job.js";
import { endpoints } from "../local/endpoints.js";
import { resetElection } from "./reset.js";
import { tallied, type ElectionSnapshot } from "./scoreboard.js";
import { ElectionOffsets } from "./offsets.js";
import { runToCompletion, startService, stopService, type RunningService } from "./services.js";

export interface ElectionRunOptions {
  readonly voters: number;
  readonly seed: number;
  /** Votes per second the voting service may cast; 0 for no limit. */
  readonly rateLimit: number;
  /** Where the voting service serves /healthz, /readyz and /metrics. */
  readonly votingPort: number;
  /** Register the whole electorate before voting opens (the demo) or let both run at once (the benchmark). */
  readonly registerFirst: boolean;
  /** Show registration's own progress bar (on a terminal). */
  readonly showRegistration: boolean;
  readonly say: (line: string) => void;
  readonly onSnapshot?: (snapshot: ElectionSnapshot) => void;
  /** Called while voting runs, as often as it likes to sample (the benchmark's freshness probe). */
  readonly whileVoting?: (db: pg.Pool, stop: AbortSignal) => Promise<void>;
}

export interface ElectionRunResult {
  readonly registrationStartedAt: number;
  readonly votingStartedAt: number;
  readonly votingEndedAt: number;
  readonly certifiedAt: number;
  readonly certification: Certification;
  /** Voters sent to the dead-letter topic instead of voting; a sound election has none. */
  readonly deadLetters: number;
}

/** The voting service's consumer group here; the election's backlog is read from the broker by it. */
const VOTING_GROUP = "livetally-voting";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The register's and the ledger's sizes. Counting a million rows every second would cost PostgreSQL a
 * good part of a core, so the live view reads the statistics' row counts, at most a second behind; the
 * final view counts exactly.
 */
const ledgerSizes = {
  live: `SELECT coalesce(sum(n_live_tup) FILTER (WHERE relname = 'voters'), 0) AS registered,
                coalesce(sum(n_live_tup) FILTER (WHERE relname = 'votes'), 0) AS ledger
         FROM pg_stat_user_tables WHERE schemaname = 'public' AND relname IN ('voters', 'votes')`,
  exact: "SELECT (SELECT count(*) FROM voters) AS registered, (SELECT count(*) FROM votes) AS ledger",
};

export async function readSnapshot(
  db: pg.Pool,
  previous: ElectionSnapshot | undefined,
  counting: keyof typeof ledgerSizes = "live",
): Promise<ElectionSnapshot> {
  const [counts, candidates, states] = await Promise.all([
    db.query<{ registered: string; ledger: string }>(ledgerSizes[counting]),
    db.query<{ name: string; party: string; votes: string }>(
      `SELECT c.name, c.party, coalesce(t.votes, 0) AS votes
       FROM candidates c LEFT JOIN tally_by_candidate t USING (candidate_id)`,
    ),
    db.query<{ state: string; registered: string; votes: string; turnout_pct: string }>(
      "SELECT state, registered, votes, turnout_pct FROM turnout_by_state ORDER BY registered DESC, state LIMIT 5",
    ),
  ]);
  const snapshot = {
    at: new Date(),
    registered: Number(counts.rows[0]?.registered),
    ledgerVotes: Number(counts.rows[0]?.ledger),
    candidates: candidates.rows.map((c) => ({ name: c.name, party: c.party, votes: Number(c.votes) })),
    states: states.rows.map((s) => ({
      state: s.state,
      registered: Number(s.registered),
      votes: Number(s.votes),
      turnoutPct: Number(s.turnout_pct),
    })),
    votesPerSecond: 0,
  };
  if (previous) {
    const seconds = (snapshot.at.getTime() - previous.at.getTime()) / 1000;
    snapshot.votesPerSecond =
      seconds > 0 ? Math.max(0, (tallied(snapshot) - tallied(previous)) / seconds) : 0;
  }
  return snapshot;
}

/**
 * Voting is over when registration has finished and the voting service has committed every voter in
 * the topic, which it does only once their vote is stored and produced.
 */
async function awaitVotingDone(
  registration: RunningService,
  voting: RunningService,
  offsets: ElectionOffsets,
  db: pg.Pool,
  onSnapshot: ((s: ElectionSnapshot) => void) | undefined,
): Promise<void> {
  let registered = false;
  void registration.exited.then((code) => (registered = code === 0));
  let previous: ElectionSnapshot | undefined;
  for (let tick = 1; ; tick++) {
    // The broker is asked four times a second, so the election closes soon after its last vote; the
    // view refreshes once a second.
    await sleep(250);
    if (voting.process.exitCode !== null) {
      throw new Error(`the voting service exited with ${voting.process.exitCode}; see ${voting.logFile}`);
    }
    if (registration.process.exitCode !== null && registration.process.exitCode !== 0) {
      throw new Error(
        `registration exited with ${registration.process.exitCode}; see ${registration.logFile}`,
      );
    }
    if (tick % 4 === 0) {
      previous = await readSnapshot(db, previous);
      onSnapshot?.(previous);
    }
    if (registered && (await offsets.votersPending(VOTING_GROUP)) === 0) return;
  }
}

/**
 * Waits until the candidates' tallies add up to the closed ledger: a cheap sign the job has caught up,
 * so the exact certification (a full comparison, seconds of database time at a million voters) runs
 * once rather than over and over while the last votes are still on their way.
 */
async function awaitTallied(db: pg.Pool, deadline: number): Promise<void> {
  const { rows } = await db.query<{ ledger: string }>("SELECT count(*) AS ledger FROM votes");
  const ledger = Number(rows[0]?.ledger);
  while (Date.now() < deadline) {
    const tallied = await db.query<{ votes: string | null }>(
      "SELECT sum(votes) AS votes FROM tally_by_candidate",
    );
    if (Number(tallied.rows[0]?.votes ?? 0) === ledger) return;
    await sleep(100);
  }
}

/** Runs a whole election on the local stack, from an empty register to certified tallies. */
export async function runElection(options: ElectionRunOptions): Promise<ElectionRunResult> {
  const { say } = options;
  say("resetting the local election (topics, tables, tally job)");
  await resetElection();
  say("starting the Flink SQL tally job");
  const jobId = await submitTallyJob();
  await awaitRunning(jobId);
  say(`tally job ${jobId} running`);

  const db = new pg.Pool({ connectionString: endpoints().databaseUrl, max: 3 });
  const offsets = await ElectionOffsets.open();
  const seed = String(options.seed);
  try {
    const registrationStartedAt = Date.now();
    say(`registering ${options.voters.toLocaleString("en-US")} voters (seed ${seed})`);
    const registration = startService(
      "registration",
      "producers/registration/main.ts",
      ["--voters", String(options.voters), "--seed", seed],
      { ELECTION_SEED: seed },
      { inheritOutput: options.showRegistration },
    );
    if (options.registerFirst) await runToCompletion(registration);

    const votingStartedAt = Date.now();
    say(
      `voting opens${options.rateLimit > 0 ? ` at up to ${options.rateLimit.toLocaleString("en-US")} votes/s` : ""}`,
    );
    const voting = startService("voting", "producers/voting/main.ts", [], {
      ELECTION_SEED: seed,
      HTTP_PORT: String(options.votingPort),
      VOTING_RATE_LIMIT: String(options.rateLimit),
      VOTING_CONSUMER_GROUP: VOTING_GROUP,
    });
    const stopSampling = new AbortController();
    const sampling = options.whileVoting?.(db, stopSampling.signal);
    try {
      await awaitVotingDone(registration, voting, offsets, db, options.onSnapshot);
    } catch (e) {
      await stopService(voting);
      throw e;
    }
    // Every vote is stored and produced: the service winds down while the tallies settle.
    const votingStopped = stopService(voting);
    await runToCompletion(registration);
    const votingEndedAt = Date.now();
    say("voting closed; waiting for the tallies to settle");

    await awaitTallied(db, Date.now() + 120_000);
    let certification = await certify(db);
    const deadline = Date.now() + 120_000;
    while (!certification.match && Date.now() < deadline) {
      await sleep(500);
      certification = await certify(db);
    }
    const certifiedAt = Date.now();
    await votingStopped;
    stopSampling.abort();
    await sampling;
    options.onSnapshot?.(await readSnapshot(db, undefined, "exact"));
    const deadLetters = await offsets.deadLetters();
    return { registrationStartedAt, votingStartedAt, votingEndedAt, certifiedAt, certification, deadLetters };
  } finally {
    await offsets.close();
    await db.end();
  }
}
