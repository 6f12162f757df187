import pg from "pg";
import { certificationLine } from "../flink-sql/certification.js";
import { EnvReader } from "../producers/runtime/env.js";
import { DEFAULT_ELECTION_FILE, loadElection, withOverrides } from "../local/election/document.js";
import { runElection } from "../local/election/run.js";
import { endpoints } from "../local/endpoints.js";
import { electionNames } from "../schemas/election/names.js";
import type { Election } from "../schemas/generated/election.js";
import { freshnessSamples, quantile, type TallyObservation } from "./freshness.js";
import { statusLine } from "../demo/scoreboard.js";
import { sleep } from "../producers/runtime/waiting.js";

/**
 * `make bench-e2e`: a large election end to end on the running stack, registration and voting at
 * full speed and at once. Prints the time to certified tallies, the sustained voting rate, and how
 * fresh the tallies were while votes poured in. BENCH_ELECTIONS=N runs N elections side by side, a line
 * each and one for them all.
 */
async function main(): Promise<number> {
  const env = new EnvReader(process.env);
  const seed = env.wholeNumber("ELECTION_SEED", 2026);
  const votingPort = env.port("DEMO_VOTING_HTTP_PORT", 29464);
  const warmupVoters = env.wholeNumber("BENCH_WARMUP_VOTERS", 50_000);
  const elections = env.positiveInt("BENCH_ELECTIONS", 1);
  // One election of a million voters, or as many side by side sharing the million between them.
  const each = env.positiveInt("BENCH_VOTERS", Math.round(1_000_000 / elections));
  const file = env.string("ELECTION", DEFAULT_ELECTION_FILE);
  env.done("bench-e2e");
  // The election's candidates and regions (the default's unless ELECTION=<file>), at the benchmark's
  // size and with no rate limit.
  const declared = loadElection(file);

  // A freshly started stack runs its first election on cold JVMs: Flink's generated code and the
  // Kafka paths are still being compiled, and the tallies lag by seconds. A small election first,
  // timed but not counted, measures the platform rather than the JIT (BENCH_WARMUP_VOTERS=0: none).
  if (warmupVoters > 0) {
    const warmup = await runElection({
      election: withOverrides(declared, {
        name: "bench-e2e-warmup",
        voters: warmupVoters,
        seed,
        rateLimit: 0,
      }),
      resume: false,
      votingPort,
      registerFirst: false,
      showRegistration: false,
      say: (line) => console.log(`bench-e2e: warm-up: ${line}`),
    });
    console.log(
      `bench-e2e: warm-up: voters=${warmupVoters} certified_s=${((warmup.certifiedAt - warmup.registrationStartedAt) / 1000).toFixed(1)} match=${warmup.certification.match} (not counted)`,
    );
  }

  const names =
    elections === 1 ? ["bench-e2e"] : Array.from({ length: elections }, (_, i) => `bench-e2e-${i + 1}`);
  const results = await Promise.all(
    names.map((name, i) =>
      benchElection(
        withOverrides(declared, { name, voters: each, seed: seed + i, rateLimit: 0 }),
        votingPort + i,
      ),
    ),
  );
  for (const r of results) {
    console.log(
      `bench-e2e: voters=${r.voters} certified_s=${r.certifiedSeconds.toFixed(1)} votes_per_s=${Math.round(r.votesPerSecond)} freshness_p50_ms=${Math.round(r.freshnessP50)} freshness_p99_ms=${Math.round(r.freshnessP99)} match=${r.match}${elections > 1 ? ` election=${r.election}` : ""}`,
    );
  }
  if (elections > 1) {
    const started = Math.min(...results.map((r) => r.registrationStartedAt));
    const certified = Math.max(...results.map((r) => r.certifiedAt));
    const firstVote = Math.min(...results.map((r) => r.firstVoteAt));
    const lastVote = Math.max(...results.map((r) => r.lastVoteAt));
    const votes = results.reduce((n, r) => n + r.votes, 0);
    const span = (lastVote - firstVote) / 1000;
    console.log(
      `bench-e2e-multi: elections=${elections} voters=${each * elections} certified_s=${((certified - started) / 1000).toFixed(1)} votes_per_s=${Math.round(span > 0 ? votes / span : 0)} match=${results.every((r) => r.match)}`,
    );
  }
  return results.every((r) => r.match && r.deadLetters === 0) ? 0 : 1;
}

interface BenchResult {
  readonly election: string;
  readonly voters: number;
  readonly votes: number;
  readonly certifiedSeconds: number;
  readonly votesPerSecond: number;
  readonly freshnessP50: number;
  readonly freshnessP99: number;
  readonly match: boolean;
  readonly deadLetters: number;
  readonly registrationStartedAt: number;
  readonly certifiedAt: number;
  readonly firstVoteAt: number;
  readonly lastVoteAt: number;
}

/** One election end to end, registration and voting at once, with its tallies' freshness sampled. */
async function benchElection(election: Election, votingPort: number): Promise<BenchResult> {
  const name = election.metadata.name;
  const say = (line: string) => console.log(`bench-e2e: ${name}: ${line}`);
  // Every change of each candidate's tally row, as seen by polling every 50 ms.
  const history = new Map<string, TallyObservation[]>();
  const sample = async (db: pg.Pool, stop: AbortSignal) => {
    while (!stop.aborted) {
      const { rows } = await db.query<{ candidate_id: string; votes: string }>(
        "SELECT candidate_id, votes FROM tally_by_candidate",
      );
      const at = Date.now();
      for (const row of rows) {
        const seen = history.get(row.candidate_id) ?? [];
        const votes = Number(row.votes);
        if (seen.at(-1)?.votes !== votes) seen.push({ at, votes });
        history.set(row.candidate_id, seen);
      }
      await sleep(50);
    }
  };

  let lastLine = 0;
  const result = await runElection({
    election,
    resume: false,
    votingPort,
    registerFirst: false,
    showRegistration: false,
    say,
    onSnapshot: (snapshot) => {
      if (Date.now() - lastLine < 5000) return;
      lastLine = Date.now();
      say(`${statusLine(snapshot)} registered=${snapshot.registered}`);
    },
    whileVoting: sample,
  });

  const db = new pg.Client({
    connectionString: endpoints().databaseUrl,
    options: `-c search_path=${electionNames(name).databaseSchema}`,
  });
  await db.connect();
  const { rows } = await db.query<{ candidate_id: string; times: string[] }>(
    `SELECT candidate_id, array_agg((extract(epoch FROM recorded_at) * 1000)::bigint ORDER BY recorded_at) AS times
     FROM votes GROUP BY candidate_id`,
  );
  const span = await db.query<{ first: string; last: string }>(
    `SELECT extract(epoch FROM min(recorded_at)) * 1000 AS first, extract(epoch FROM max(recorded_at)) * 1000 AS last
     FROM votes`,
  );
  await db.end();
  const commits = new Map(rows.map((r) => [r.candidate_id, r.times.map(Number)]));
  const samples = freshnessSamples(commits, history);
  const votes = result.certification.votes;
  const firstVoteAt = Number(span.rows[0]?.first);
  const lastVoteAt = Number(span.rows[0]?.last);
  const votingSeconds = (lastVoteAt - firstVoteAt) / 1000;
  say(
    `votes=${votes} voting_span_s=${votingSeconds.toFixed(1)} settle_after_voting_s=${((result.certifiedAt - result.votingEndedAt) / 1000).toFixed(1)} freshness_samples=${samples.length} dead_letters=${result.deadLetters}`,
  );
  say(certificationLine(result.certification));
  return {
    election: name,
    voters: election.spec.electorate.voters,
    votes,
    certifiedSeconds: (result.certifiedAt - result.registrationStartedAt) / 1000,
    votesPerSecond: votingSeconds > 0 ? votes / votingSeconds : 0,
    freshnessP50: quantile(samples, 0.5),
    freshnessP99: quantile(samples, 0.99),
    match: result.certification.match,
    deadLetters: result.deadLetters,
    registrationStartedAt: result.registrationStartedAt,
    certifiedAt: result.certifiedAt,
    firstVoteAt,
    lastVoteAt,
  };
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`bench-e2e: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
