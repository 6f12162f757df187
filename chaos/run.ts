import { Kafka, logLevel } from "kafkajs";
import avro from "avsc";
import pg from "pg";
import type { Certification } from "../flink-sql/certification.js";
import { runElection, type ElectionServices } from "../local/election/run.js";
import { Patience } from "../local/election/patience.js";
import { endpoints } from "../local/endpoints.js";
import { stackContext, stackUp } from "../local/stack.js";
import { readTopic } from "../local/topic-reader.js";
import { VoterChoice } from "../producers/election/choice.js";
import { electionDefinition, type ElectionDefinition } from "../producers/election/definition.js";
import { SchemaRegistryClient } from "../producers/runtime/registry.js";
import { pollUntil, sleep } from "../producers/runtime/waiting.js";
import {
  candidateSchema,
  deadLetterSchema,
  voteSchema,
  voterSchema,
  type DeadLetter,
} from "../schemas/records.js";
import { valueSubject } from "../schemas/topics.js";
import { unframe } from "../schemas/wire.js";
import { chaosNames } from "./election.js";
import { loadElection, withOverrides } from "../local/election/document.js";
import { AggregatedTopicsReader, decimalValue, type Tombstone } from "./aggregated-topics.js";
import { writeBadRecords, type BadRecord, type ContractIds } from "./bad-records.js";
import { killVoting, restartEngine, type Fault } from "./faults.js";

const { topics } = chaosNames;

export interface ChaosOptions {
  readonly voters: number;
  readonly seed: number;
  /** About how long voting should last, paced by the voting rate limit, for the faults to fall within. */
  readonly votingSeconds: number;
  readonly say: (line: string) => void;
}

export interface ChaosReport {
  readonly voters: number;
  readonly faults: readonly string[];
  readonly badRecords: readonly BadRecord[];
  /** Votes the election's choices call for that the ledger lacks (or holds with another candidate). */
  readonly lost: number;
  /** Votes in the ledger that no choice calls for, plus tallied votes beyond the ledger. */
  readonly doubled: number;
  /** Rows of rejected_records. */
  readonly rejected: number;
  /** Bad records missing from rejected_records or kept under another reason, and rejections of good records. */
  readonly wrongRejections: readonly string[];
  /** Bad records on the voters topic the voting service did not dead-letter with the right reason. */
  readonly wrongDeadLetters: readonly string[];
  /** Keys whose latest value in an aggregated topic differs from the ledger. */
  readonly aggregatedMismatches: readonly string[];
  readonly tombstones: readonly Tombstone[];
  readonly certification: Certification;
}

/** Where in the election each fault and each round of bad records goes, as a share of its votes. */
const SCHEDULE: ReadonlyArray<{
  readonly at: number;
  readonly action: "fault" | "bad-records";
  readonly fault?: number;
}> = [
  { at: 0.08, action: "fault", fault: 0 },
  { at: 0.14, action: "bad-records" },
  { at: 0.2, action: "fault", fault: 1 },
  { at: 0.32, action: "fault", fault: 2 },
  { at: 0.4, action: "bad-records" },
  { at: 0.46, action: "fault", fault: 3 },
  { at: 0.58, action: "fault", fault: 4 },
  { at: 0.66, action: "bad-records" },
  { at: 0.72, action: "fault", fault: 5 },
  { at: 0.82, action: "bad-records" },
];

/** The share of the electorate the election expects to vote. */
function expectedTurnout(definition: ElectionDefinition): number {
  return definition.regions.reduce((sum, r) => sum + r.electorateShare * r.turnout, 0);
}

/**
 * An election on the local stack run through faults: the voting service SIGKILLed three times, the
 * broker restarted, PostgreSQL stopped immediately and started, Flink SIGKILLed and started, and bad
 * records of every kind written to the topics while it votes. Then every vote, tally, aggregated record,
 * rejection and dead letter is checked against what the election must have produced.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { say } = options;
  const ctx = stackContext();
  await stackUp(ctx);
  const ep = endpoints();
  const kafka = new Kafka({ clientId: "chaos", brokers: [...ep.kafkaBrokers], logLevel: logLevel.NOTHING });
  const registry = new SchemaRegistryClient(ep.registryUrl);
  // The default election's candidates and regions, under the chaos run's own name and size.
  const declared = withOverrides(loadElection(), {
    name: chaosNames.election,
    voters: options.voters,
    seed: options.seed,
  });
  const definition = electionDefinition(declared);
  const rateLimit = Math.max(
    1,
    Math.ceil((options.voters * expectedTurnout(definition)) / options.votingSeconds),
  );
  const patience = new Patience((line) => say(`chaos: ${line}`));

  let services: ElectionServices | undefined;
  const faults: Fault[] = [
    killVoting(() => services),
    restartEngine(ctx, "kafka", "SIGTERM", "kafka broker restart"),
    killVoting(() => services),
    restartEngine(ctx, "postgres", "SIGQUIT", "postgres immediate stop and start"),
    restartEngine(ctx, "flink", "SIGKILL", "flink SIGKILL and start"),
    killVoting(() => services),
  ];
  const injected: string[] = [];
  const badRecords: BadRecord[] = [];
  let reader: AggregatedTopicsReader | undefined;

  const misbehave = async (db: pg.Pool, stop: AbortSignal, running: ElectionServices): Promise<void> => {
    services = running;
    reader = await AggregatedTopicsReader.follow(kafka, ep.registryUrl);
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    const ids = await contractIds(registry);
    const expectedVotes = options.voters * expectedTurnout(definition);
    try {
      for (const step of SCHEDULE) {
        for (;;) {
          if (stop.aborted) return;
          const votes = await patience.of("postgres", () => ledgerVotes(db));
          if (votes >= step.at * expectedVotes) break;
          await sleep(500);
        }
        if (step.action === "bad-records") {
          const round = await patience.of("the topics", () =>
            writeBadRecords(producer, db, ids, definition, options.seed),
          );
          badRecords.push(...round);
          say(`chaos: wrote ${round.length} bad records (${round.map((r) => r.what).join(", ")})`);
        } else {
          const fault = faults[step.fault ?? 0];
          if (fault === undefined) continue;
          say(`chaos: ${fault.name}`);
          await fault.inject();
          injected.push(fault.name);
          say(`chaos: ${fault.name}: recovered`);
        }
      }
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  };

  say(`chaos: ${options.voters} voters at up to ${rateLimit} votes/s, ${faults.length} faults`);
  const result = await runElection({
    election: withOverrides(declared, { rateLimit }),
    resume: false,
    votingPort: 29465,
    registerFirst: false,
    showRegistration: false,
    say: (line) => say(`chaos: ${line}`),
    whileVoting: misbehave,
  });

  const db = new pg.Pool({
    connectionString: ep.databaseUrl,
    max: 2,
    options: `-c search_path=${chaosNames.databaseSchema}`,
  });
  db.on("error", () => undefined);
  try {
    const { lost, doubled } = await checkLedger(db, definition, options.seed, result.certification);
    const rejections = await checkRejections(db, badRecords);
    const wrongDeadLetters = await checkDeadLetters(kafka, badRecords);
    const active = reader;
    if (active === undefined) throw new Error("the aggregated topics were never followed");
    await active.catchUp();
    const aggregatedMismatches = await checkAggregated(db, active);
    await active.close();
    return {
      voters: options.voters,
      faults: injected,
      badRecords,
      lost,
      doubled,
      rejected: rejections.rows,
      wrongRejections: rejections.wrong,
      wrongDeadLetters,
      aggregatedMismatches,
      tombstones: active.tombstones,
      certification: result.certification,
    };
  } finally {
    await db.end();
  }
}

/** The report's last line. */
export function chaosLine(r: ChaosReport): string {
  return `chaos: voters=${r.voters} faults=${r.faults.length} bad_records=${r.badRecords.length} lost=${r.lost} doubled=${r.doubled} rejected=${r.rejected} certification=${r.certification.match ? "MATCH" : "MISMATCH"}`;
}

/** Whether every check of the report passed. */
export function chaosPassed(r: ChaosReport, faults: number): boolean {
  return (
    r.faults.length === faults &&
    r.lost === 0 &&
    r.doubled === 0 &&
    r.certification.match &&
    r.rejected === r.badRecords.length &&
    r.wrongRejections.length === 0 &&
    r.wrongDeadLetters.length === 0 &&
    r.aggregatedMismatches.length === 0 &&
    r.tombstones.length === 0
  );
}

async function contractIds(registry: SchemaRegistryClient): Promise<ContractIds> {
  const id = async (topic: (typeof topics)[keyof typeof topics], schema: object): Promise<number> => {
    const found = await registry.lookup(valueSubject(topic), schema);
    if (found === undefined) throw new Error(`${valueSubject(topic)} has no registered schema`);
    return found;
  };
  return {
    vote: await id(topics.votes, voteSchema),
    voter: await id(topics.voters, voterSchema),
    candidate: await id(topics.candidates, candidateSchema),
  };
}

async function ledgerVotes(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM votes");
  return Number(rows[0]?.n);
}

/**
 * Every registered voter's vote as the election's choices call for it, against the ledger: each must be
 * there exactly once, with its vote id and candidate, and nothing else.
 */
async function checkLedger(
  db: pg.Pool,
  definition: ElectionDefinition,
  seed: number,
  certification: Certification,
): Promise<{ lost: number; doubled: number }> {
  const choice = new VoterChoice(definition, seed);
  const register = await db.query<{ voter_id: string; state: string }>("SELECT voter_id, state FROM voters");
  const ledger = await db.query<{ voter_id: string; vote_id: string; candidate_id: string }>(
    "SELECT voter_id, vote_id::text, candidate_id FROM votes",
  );
  const cast = new Map(ledger.rows.map((v) => [v.voter_id, v]));
  let lost = 0;
  let expected = 0;
  for (const voter of register.rows) {
    const c = choice.choose(voter.voter_id, voter.state);
    if (!c.votes) continue;
    expected++;
    const vote = cast.get(voter.voter_id);
    if (vote === undefined || vote.vote_id !== c.voteId || vote.candidate_id !== c.candidateId) lost++;
  }
  const unexpected = ledger.rows.length - (expected - lost);
  return { lost, doubled: unexpected + Math.max(0, certification.tallied - certification.votes) };
}

/** Waits for every bad record's rejection, then compares rejected_records with them, both ways. */
async function checkRejections(
  db: pg.Pool,
  bad: readonly BadRecord[],
): Promise<{ rows: number; wrong: string[] }> {
  const read = async () =>
    (
      await db.query<{
        source_topic: string;
        source_partition: number;
        source_offset: string;
        reason: string;
      }>("SELECT source_topic, source_partition, source_offset, reason FROM rejected_records")
    ).rows;
  const rows = await pollUntil(
    async () => {
      const found = await read();
      return found.length >= bad.length ? found : undefined;
    },
    { timeoutMs: 90_000, what: "every bad record in rejected_records" },
  ).catch(read);
  const place = (topic: string, partition: number, offset: number | string) =>
    `${topic}/${partition}@${offset}`;
  const byPlace = new Map(
    rows.map((r) => [place(r.source_topic, r.source_partition, r.source_offset), r.reason]),
  );
  const wrong: string[] = [];
  for (const b of bad) {
    const reason = byPlace.get(place(b.topic, b.partition, b.offset));
    if (reason !== b.rejection)
      wrong.push(
        `${b.what} at ${place(b.topic, b.partition, b.offset)}: ${reason ?? "not rejected"}, expected ${b.rejection}`,
      );
  }
  const planted = new Set(bad.map((b) => place(b.topic, b.partition, b.offset)));
  for (const [where, reason] of byPlace)
    if (!planted.has(where)) wrong.push(`a good record at ${where} rejected as ${reason}`);
  return { rows: rows.length, wrong };
}

/** Each bad record on the voters topic must be in the dead letters, with the voting service's reason. */
async function checkDeadLetters(kafka: Kafka, bad: readonly BadRecord[]): Promise<string[]> {
  const expected = bad.filter((b) => b.deadLetter !== undefined);
  const letters = await readDeadLetters(kafka);
  const found = new Map(letters.map((l) => [`${l.topic}/${l.partition}@${l.offset}`, l.error]));
  return expected.flatMap((b) => {
    const error = found.get(`${b.topic}/${b.partition}@${b.offset}`);
    return error === b.deadLetter
      ? []
      : [`${b.what}: dead-lettered as ${error ?? "nothing"}, expected ${b.deadLetter}`];
  });
}

async function readDeadLetters(kafka: Kafka): Promise<DeadLetter[]> {
  const type = avro.Type.forSchema(deadLetterSchema as unknown as avro.Schema);
  return (await readTopic(kafka, topics.deadLetters.name)).flatMap((r) => {
    const framed = unframe(r.value);
    return framed.ok ? [type.fromBuffer(framed.body) as DeadLetter] : [];
  });
}

/** The latest record of every key of both aggregated topics against the same figures from the ledger. */
async function checkAggregated(db: pg.Pool, reader: AggregatedTopicsReader): Promise<string[]> {
  const mismatches: string[] = [];
  const perCandidate = await db.query<{ candidate_id: string; votes: string }>(
    "SELECT candidate_id, count(*) AS votes FROM votes GROUP BY candidate_id",
  );
  const candidates = reader.values(topics.votesPerCandidate.name);
  for (const row of perCandidate.rows) {
    const value = candidates.get(row.candidate_id);
    if (Number(value?.votes) !== Number(row.votes)) {
      mismatches.push(
        `${topics.votesPerCandidate.name}/${row.candidate_id}: ${String(value?.votes)} for ${row.votes}`,
      );
    }
  }
  if (candidates.size !== perCandidate.rows.length) {
    mismatches.push(
      `${topics.votesPerCandidate.name}: ${candidates.size} keys for ${perCandidate.rows.length} candidates`,
    );
  }
  const perState = await db.query<{ state: string; registered: string; votes: string; turnout_pct: string }>(
    `SELECT r.state, r.registered, coalesce(v.votes, 0) AS votes,
            round(100.0 * coalesce(v.votes, 0) / r.registered, 2) AS turnout_pct
     FROM (SELECT state, count(*) AS registered FROM voters GROUP BY state) r
     LEFT JOIN (SELECT state, count(*) AS votes FROM votes GROUP BY state) v USING (state)`,
  );
  const states = reader.values(topics.turnoutByLocation.name);
  for (const row of perState.rows) {
    const value = states.get(row.state);
    const turnout = Buffer.isBuffer(value?.turnout_pct) ? decimalValue(value.turnout_pct, 2) : Number.NaN;
    if (
      Number(value?.registered) !== Number(row.registered) ||
      Number(value?.votes) !== Number(row.votes) ||
      Math.abs(turnout - Number(row.turnout_pct)) > 1e-9
    ) {
      mismatches.push(
        `${topics.turnoutByLocation.name}/${row.state}: ${JSON.stringify({ registered: value?.registered, votes: value?.votes, turnout })} for ${JSON.stringify(row)}`,
      );
    }
  }
  if (states.size !== perState.rows.length) {
    mismatches.push(
      `${topics.turnoutByLocation.name}: ${states.size} keys for ${perState.rows.length} states`,
    );
  }
  return mismatches;
}
