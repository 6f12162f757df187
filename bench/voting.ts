import { execFileSync, spawn } from "node:child_process";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { localServiceEnv } from "../local/endpoints.js";
import { loadElection, withOverrides } from "../local/election/document.js";
import { resetElection } from "../local/election/reset.js";
import { repoRoot } from "../versions.js";
import { ageBandAt, avroTypes, voteSchema, type Vote } from "../schemas/records.js";
import { valueSubject } from "../schemas/topics.js";
import { frameRecord } from "../schemas/wire.js";
import { VoterChoice, voteId } from "../producers/election/choice.js";
import { electionDefinition } from "../producers/election/definition.js";
import { registerElectorate } from "../producers/registration/register.js";
import { serviceConfig } from "../producers/runtime/config.js";
import { openConnections } from "../producers/runtime/connections.js";
import { createLogger } from "../producers/runtime/log.js";
import { producerConfig } from "../producers/runtime/producer.js";
import { ProgressBar } from "../producers/runtime/progress-bar.js";
import { sleep } from "../producers/runtime/waiting.js";
import { schemaId } from "../producers/setup/setup.js";
import { insertVotes } from "../producers/voting/ballot-box.js";
import { VOTING_NODE_FLAGS } from "../producers/voting/node-flags.js";
import { PARTITIONS_CONSUMED_CONCURRENTLY } from "../producers/voting/service.js";
import { barePipeline, type EncodedVote } from "./bare-pipeline.js";

/**
 * `make bench-voting`: votes per second of the voting service over BENCH_VOTERS voters (default
 * 200,000), against the ceiling of the same vote rows inserted by the same statement into the same
 * table, in the same batches and with the same concurrency, with no Kafka in the loop. It also
 * measures the bare pipeline (see bare-pipeline.ts): the service's Kafka work alone, then its Kafka
 * work and inserts together, with none of the service's own work, which bounds the service.
 *
 * It resets the local election first (the tally job, every topic and table): run it on a development
 * stack, never against a real election.
 */
const VOTERS = Number(process.env.BENCH_VOTERS ?? 200_000);
const SEED = 2026;
const CHUNK = 2_000;
const CONCURRENCY = 3;

// The default election's candidates and regions, at the benchmark's size, with no rate limit.
const election = withOverrides(loadElection(), {
  name: "bench-voting",
  voters: VOTERS,
  seed: SEED,
  rateLimit: 0,
});
const electionEnv = { ELECTION_DOCUMENT: JSON.stringify(election) };
const config = serviceConfig(localServiceEnv({ ...process.env, ...electionEnv }));
const { names } = config;
const definition = electionDefinition(election);
const log = createLogger("bench-voting", "warn");
// As many connections as the voting service has, for the bare pipeline's inserts.
const { pool, kafka, registry } = openConnections(
  "livetally-bench",
  config,
  log,
  PARTITIONS_CONSUMED_CONCURRENTLY,
);

/** The votes with their messages as the service produces them, by voter id, for the bare pipeline. */
async function encodeVotes(votes: readonly Vote[]): Promise<Map<string, EncodedVote>> {
  const id = await registry.lookup(valueSubject(names.topics.votes), voteSchema);
  if (id === undefined) throw new Error("the Vote schema is not registered; run make setup");
  return new Map(
    votes.map((vote) => [
      vote.voter_id,
      { vote, message: { key: vote.voter_id, value: frameRecord(id, avroTypes.vote, vote) } },
    ]),
  );
}

async function register(): Promise<void> {
  const producer = kafka.producer(producerConfig);
  await producer.connect();
  const bar = new ProgressBar("register", VOTERS, "voters");
  await registerElectorate(
    pool,
    producer,
    {
      candidate: (await schemaId(registry, names, "candidate")) ?? 0,
      voter: (await schemaId(registry, names, "voter")) ?? 0,
    },
    {
      election: definition,
      seed: SEED,
      voters: VOTERS,
      topics: { voters: names.topics.voters.name, candidates: names.topics.candidates.name },
      batchSize: 5_000,
    },
    (done) => bar.update(done),
  );
  bar.done();
  await producer.disconnect();
}

/** The votes the service will cast, as rows, computed the way the service computes them. */
async function voteRows(): Promise<Vote[]> {
  const choice = new VoterChoice(definition, SEED);
  const parties = new Map(definition.candidates.map((c) => [c.candidate_id, c.party]));
  const { rows } = await pool.query<{ voter_id: string; state: string; gender: string; dob: number }>(
    "SELECT voter_id, state, gender, date_of_birth - DATE '1970-01-01' AS dob FROM voters",
  );
  const now = Date.now();
  const votes: Vote[] = [];
  for (const r of rows) {
    const c = choice.choose(r.voter_id, r.state);
    if (!c.votes) continue;
    votes.push({
      vote_id: voteId(SEED, r.voter_id),
      voter_id: r.voter_id,
      candidate_id: c.candidateId,
      party: parties.get(c.candidateId) ?? "",
      state: r.state,
      gender: r.gender,
      age_band: ageBandAt(r.dob, now),
      cast_at: now,
    });
  }
  return votes;
}

/** Passes of the ceiling: the first runs on a cold cache and a cold JIT and is the slowest. */
const CEILING_PASSES = 3;

/**
 * Rows per second of the service's insert statement alone, in its batch size and concurrency, per
 * pass; the best pass is the ceiling.
 */
async function ceiling(votes: readonly Vote[]): Promise<number[]> {
  const passes: number[] = [];
  for (let pass = 0; pass < CEILING_PASSES; pass++) {
    await pool.query("TRUNCATE votes");
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < votes.length) {
          const chunk = votes.slice(next, next + CHUNK);
          next += CHUNK;
          await insertVotes(pool, chunk);
        }
      }),
    );
    passes.push(votes.length / ((performance.now() - started) / 1000));
  }
  await pool.query("TRUNCATE votes");
  return passes;
}

interface ServiceRun {
  readonly votesPerSecond: number;
  readonly peakRssMiB: number;
  readonly seconds: number;
}

async function metric(port: number, name: string): Promise<number | undefined> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`${name} `));
    return line === undefined ? undefined : Number(line.split(" ")[1]);
  } catch {
    return undefined;
  }
}

/**
 * Compiles the voting service to JavaScript as its image runs it (no TypeScript loader in the
 * process, whose memory would count against the service), with the migrations beside it.
 */
function compileService(): string {
  const out = join(repoRoot, "build", "bench-voting");
  rmSync(out, { recursive: true, force: true });
  execFileSync(
    join(repoRoot, "node_modules", ".bin", "tsc"),
    [
      join(repoRoot, "producers", "voting", "main.ts"),
      ...["--outDir", out, "--rootDir", repoRoot, "--module", "NodeNext", "--moduleResolution", "NodeNext"],
      ...["--target", "ES2022", "--types", "node", "--skipLibCheck", "--esModuleInterop", "--strict"],
    ],
    { stdio: "inherit" },
  );
  cpSync(join(repoRoot, "schemas", "migrations"), join(out, "schemas", "migrations"), { recursive: true });
  return join(out, "producers", "voting", "main.js");
}

/** Runs the voting service as its own process until it has cast every vote; measures it from outside. */
async function runService(main: string, expected: number): Promise<ServiceRun> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  // BENCH_PROFILE=dir writes a CPU profile of the service there, for finding where the time goes.
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const child = spawn(process.execPath, [...VOTING_NODE_FLAGS, ...profile, main], {
    env: {
      ...localServiceEnv(),
      ...electionEnv,
      HTTP_PORT: String(port),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const bar = new ProgressBar("voting", expected, "votes");
  let started: number | undefined;
  let cast = 0;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the voting service exited with ${child.exitCode}`);
      cast = (await metric(port, "livetally_votes_cast_total")) ?? 0;
      // The clock starts with the first vote: process start-up and the group join are not voting.
      if (started === undefined && cast > 0) started = performance.now();
      bar.update(cast);
      if (cast >= expected) break;
      await sleep(100);
    }
    bar.done();
    const seconds = (performance.now() - (started ?? performance.now())) / 1000;
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const hwmKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { votesPerSecond: expected / seconds, peakRssMiB: hwmKiB / 1024, seconds };
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

async function main(): Promise<void> {
  console.error("bench-voting: compiling the voting service");
  const service = compileService();
  console.error(`bench-voting: resetting the local election and registering ${VOTERS} voters`);
  // Also cancels a tally job a demo left running, which would tally these votes on the same cores.
  await resetElection(names.election);
  await register();
  const votes = await voteRows();
  console.error(`bench-voting: ${votes.length} of ${VOTERS} voters vote; measuring the insert ceiling`);
  const passes = await ceiling(votes);
  const ceilingRate = Math.max(...passes);
  console.error(
    `bench-voting: ceiling passes ${passes.map((p) => Math.round(p)).join(", ")} rows/s; measuring the bare pipeline`,
  );
  const encoded = await encodeVotes(votes);
  const kafkaAlone = await barePipeline("kafka alone", kafka, names, encoded);
  const bare = await barePipeline("kafka + insert", kafka, names, encoded, (chunk) =>
    insertVotes(pool, chunk),
  );
  await pool.query("TRUNCATE votes");
  console.error(
    `bench-voting: bare pipeline ${Math.round(kafkaAlone)} votes/s Kafka alone, ${Math.round(bare)} with the inserts; running the voting service`,
  );
  const run = await runService(service, votes.length);
  const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM votes");
  if (Number(rows[0]?.n) !== votes.length)
    throw new Error(`votes table holds ${rows[0]?.n}, expected ${votes.length}`);
  await pool.end();
  const ratio = run.votesPerSecond / ceilingRate;
  console.log(`voters:               ${VOTERS}`);
  console.log(`votes cast:           ${votes.length} in ${run.seconds.toFixed(1)}s`);
  console.log(`voting service:       ${Math.round(run.votesPerSecond)} votes/s (target >= 10000)`);
  console.log(
    `insert ceiling:       ${Math.round(ceilingRate)} rows/s (best of ${CEILING_PASSES} passes; same statement, batch ${CHUNK}, ${CONCURRENCY} connections, no Kafka)`,
  );
  const share = (rate: number): string => `${(rate / ceilingRate).toFixed(2)} of the ceiling`;
  console.log(
    `kafka alone:          ${Math.round(kafkaAlone)} votes/s (${share(kafkaAlone)}; the service's consumer and producers, nothing else)`,
  );
  console.log(
    `kafka + insert:       ${Math.round(bare)} votes/s (${share(bare)}; the same with the service's inserts, still nothing else)`,
  );
  console.log(`ratio:                ${ratio.toFixed(2)} (target >= 0.50)`);
  console.log(`peak rss:             ${run.peakRssMiB.toFixed(0)} MiB (target <= 256)`);
  console.log(
    `bench-voting: voters=${VOTERS} votes_per_s=${Math.round(run.votesPerSecond)} ceiling_rows_per_s=${Math.round(ceilingRate)} ratio=${ratio.toFixed(2)} peak_rss_mib=${Math.round(run.peakRssMiB)}`,
  );
}

main().catch((e: unknown) => {
  console.error(`bench-voting: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
