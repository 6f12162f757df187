import pg from "pg";
import { certificationLine } from "../flink-sql/certification.js";
import { EnvReader } from "../producers/runtime/env.js";
import { loadElection, withOverrides } from "../local/election/document.js";
import { runElection } from "../local/election/run.js";
import { freshnessSamples, quantile, type TallyObservation } from "./freshness.js";
import { statusLine } from "../demo/scoreboard.js";
import { sleep } from "../producers/runtime/waiting.js";

/**
 * `make bench-e2e`: a large election end to end on the running stack, registration and voting at
 * full speed and at once. Prints the time to certified tallies, the sustained voting rate, and how
 * fresh the tallies were while votes poured in.
 */
async function main(): Promise<number> {
  const env = new EnvReader(process.env);
  const voters = env.positiveInt("BENCH_VOTERS", 1_000_000);
  const seed = env.wholeNumber("ELECTION_SEED", 2026);
  const votingPort = env.port("DEMO_VOTING_HTTP_PORT", 29464);
  const warmupVoters = env.wholeNumber("BENCH_WARMUP_VOTERS", 50_000);
  env.done("bench-e2e");
  // The default election's candidates and regions, at the benchmark's size and with no rate limit.
  const declared = loadElection(process.env.ELECTION);

  // A freshly started stack runs its first election on cold JVMs: Flink's generated code and the
  // Kafka paths are still being compiled, and the tallies lag by seconds. A small election first,
  // timed but not counted, measures the platform rather than the JIT (BENCH_WARMUP_VOTERS=0: none).
  if (warmupVoters > 0) {
    const warmup = await runElection({
      election: withOverrides(declared, { name: "bench-e2e-warmup", voters: warmupVoters, seed, rateLimit: 0 }),
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
    election: withOverrides(declared, { name: "bench-e2e", voters, seed, rateLimit: 0 }),
    resume: false,
    votingPort,
    registerFirst: false,
    showRegistration: false,
    say: (line) => console.log(`bench-e2e: ${line}`),
    onSnapshot: (snapshot) => {
      if (Date.now() - lastLine < 5000) return;
      lastLine = Date.now();
      console.log(`${statusLine(snapshot)} registered=${snapshot.registered}`);
    },
    whileVoting: sample,
  });

  const { endpoints } = await import("../local/endpoints.js");
  const db = new pg.Client({ connectionString: endpoints().databaseUrl });
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
  const votingSeconds = (Number(span.rows[0]?.last) - Number(span.rows[0]?.first)) / 1000;
  const certifiedSeconds = (result.certifiedAt - result.registrationStartedAt) / 1000;
  const votesPerSecond = votingSeconds > 0 ? votes / votingSeconds : 0;

  console.log(
    `bench-e2e: votes=${votes} voting_span_s=${votingSeconds.toFixed(1)} settle_after_voting_s=${((result.certifiedAt - result.votingEndedAt) / 1000).toFixed(1)} freshness_samples=${samples.length} dead_letters=${result.deadLetters}`,
  );
  console.log(certificationLine(result.certification));
  console.log(
    `bench-e2e: voters=${voters} certified_s=${certifiedSeconds.toFixed(1)} votes_per_s=${Math.round(votesPerSecond)} freshness_p50_ms=${Math.round(quantile(samples, 0.5))} freshness_p99_ms=${Math.round(quantile(samples, 0.99))} match=${result.certification.match}`,
  );
  return result.certification.match && result.deadLetters === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`bench-e2e: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
