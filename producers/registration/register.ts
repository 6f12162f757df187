import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Producer } from "kafkajs";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { avroTypes, isoDate, IsoTimestamps, type Candidate, type Voter } from "../../schemas/records.js";
import { frameRecord } from "../../schemas/wire.js";
import type { ElectionDefinition } from "../election/definition.js";
import { candidatesOf, drawVoters } from "./electorate.js";

/** Batches being written to PostgreSQL at once; the pool must have a connection for each, and one more. */
const WRITES_IN_FLIGHT = 3;

export interface RegistrationPlan {
  readonly election: ElectionDefinition;
  readonly seed: number;
  readonly voters: number;
  /** The election's topics the register goes to. */
  readonly topics: { readonly voters: string; readonly candidates: string };
  /** Voters written and produced per round trip. */
  readonly batchSize: number;
}

export interface RegistrationSchemaIds {
  readonly voter: number;
  readonly candidate: number;
}

export interface RegistrationSummary {
  readonly candidatesAdded: number;
  readonly votersAdded: number;
  /** Voters of this seed already registered by an earlier run, skipped without a write. */
  readonly votersAlreadyRegistered: number;
  readonly votersProduced: number;
  readonly millis: number;
}

/**
 * Registers the electorate of (election, seed): candidates, then voters in batches. Each batch goes to
 * PostgreSQL first (the voting service must find every voter it consumes in the register) and then to
 * the voters topic, and the seed's checkpoint moves past it. A rerun skips what the checkpoint covers,
 * so it adds nothing; a run that crashed mid-batch repeats only that batch, whose rows already present
 * are left alone by ON CONFLICT DO NOTHING.
 */
export async function registerElectorate(
  pool: pg.Pool,
  producer: Producer,
  ids: RegistrationSchemaIds,
  plan: RegistrationPlan,
  onProgress: (done: number) => void = () => undefined,
): Promise<RegistrationSummary> {
  const started = Date.now();
  const candidates = candidatesOf(plan.election, started);
  const candidatesAdded = await insertCandidates(pool, candidates);
  let published = await checkpoint(pool, plan.seed);
  if (published === undefined) {
    await producer.send({
      topic: plan.topics.candidates,
      acks: -1,
      messages: candidates.map((c) => ({
        key: c.candidate_id,
        value: frameRecord(ids.candidate, avroTypes.candidate, c),
      })),
    });
    published = 0;
    await saveCheckpoint(pool, plan.seed, 0);
  }
  const alreadyRegistered = Math.min(published, plan.voters);
  let votersAdded = 0;
  let votersProduced = 0;
  onProgress(alreadyRegistered);
  // Several batches are written to PostgreSQL at once, each on its own connection, while the oldest
  // is produced: a single COPY at a time left the database waiting on this process and this process on
  // the database. Each batch still reaches PostgreSQL before Kafka, and the checkpoint moves only past
  // batches that are in both, in order.
  const writing: { readonly to: number; readonly voters: Voter[]; readonly inserted: Promise<number> }[] = [];
  const publishOldest = async (): Promise<void> => {
    const batch = writing.shift();
    if (batch === undefined) return;
    votersAdded += await batch.inserted;
    await producer.send({
      topic: plan.topics.voters,
      acks: -1,
      messages: batch.voters.map((v) => ({
        key: v.voter_id,
        value: frameRecord(ids.voter, avroTypes.voter, v),
      })),
    });
    votersProduced += batch.voters.length;
    await saveCheckpoint(pool, plan.seed, batch.to);
    onProgress(batch.to);
  };
  try {
    for (let from = published; from < plan.voters; from += plan.batchSize) {
      const to = Math.min(from + plan.batchSize, plan.voters);
      const registeredAt = Date.now();
      const voters = drawVoters(plan.election, plan.seed, from, to).map((v) => ({
        ...v,
        registered_at: registeredAt,
      }));
      const inserted = insertVoters(pool, voters);
      // Awaited in order below; until then a failure must not count as unhandled.
      inserted.catch(() => undefined);
      writing.push({ to, voters, inserted });
      if (writing.length >= WRITES_IN_FLIGHT) await publishOldest();
    }
    while (writing.length > 0) await publishOldest();
  } finally {
    await Promise.allSettled(writing.map((b) => b.inserted));
  }
  return {
    candidatesAdded,
    votersAdded,
    votersAlreadyRegistered: alreadyRegistered,
    votersProduced,
    millis: Date.now() - started,
  };
}

async function checkpoint(pool: pg.Pool, seed: number): Promise<number | undefined> {
  const { rows } = await pool.query<{ voters_published: number }>(
    "SELECT voters_published FROM registration_progress WHERE seed = $1",
    [seed],
  );
  return rows[0]?.voters_published;
}

async function saveCheckpoint(pool: pg.Pool, seed: number, published: number): Promise<void> {
  await pool.query(
    `INSERT INTO registration_progress (seed, voters_published) VALUES ($1, $2)
     ON CONFLICT (seed) DO UPDATE SET voters_published = GREATEST(registration_progress.voters_published, $2),
       updated_at = now()`,
    [seed, published],
  );
}

async function insertCandidates(pool: pg.Pool, candidates: readonly Candidate[]): Promise<number> {
  const result = await pool.query(
    `INSERT INTO candidates (candidate_id, name, party, biography, platform, photo_url, registered_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
     ON CONFLICT DO NOTHING`,
    [
      candidates.map((c) => c.candidate_id),
      candidates.map((c) => c.name),
      candidates.map((c) => c.party),
      candidates.map((c) => c.biography),
      candidates.map((c) => c.platform),
      candidates.map((c) => c.photo_url),
      candidates.map((c) => new Date(c.registered_at).toISOString()),
    ],
  );
  return result.rowCount ?? 0;
}

const VOTER_COLUMNS =
  "voter_id, name, date_of_birth, gender, nationality, registration_number, street, city, state, country, " +
  "postcode, email, phone, cell, picture_url, registered_age, registered_at";

/**
 * A batch of new voters goes in by COPY, the cheapest way into PostgreSQL for both sides. COPY has no
 * ON CONFLICT, so a batch that meets voters already registered (a run resumed after a crash between
 * writing a batch and saving the checkpoint) fails whole and is written again by an INSERT that leaves
 * them alone.
 */
async function insertVoters(pool: pg.Pool, voters: readonly Voter[]): Promise<number> {
  const client = await pool.connect();
  try {
    try {
      await pipeline(
        Readable.from([copyRows(voters)]),
        client.query(copyFrom(`COPY voters (${VOTER_COLUMNS}) FROM STDIN`)),
      );
      return voters.length;
    } catch (e) {
      if ((e as { code?: string }).code !== UNIQUE_VIOLATION) throw e;
    }
    return await insertNewVoters(client, voters);
  } finally {
    client.release();
  }
}

const UNIQUE_VIOLATION = "23505";

/** COPY's text format: a line per voter, columns separated by tabs, with \\, tab and line breaks escaped. */
export function copyRows(voters: readonly Voter[]): string {
  let rows = "";
  const registeredAt = new IsoTimestamps();
  for (const v of voters) {
    const a = v.address;
    rows +=
      `${copyText(v.voter_id)}\t${copyText(v.name)}\t${birthday(v.date_of_birth)}\t${copyText(v.gender)}\t` +
      `${copyText(v.nationality)}\t${copyText(v.registration_number)}\t${copyText(a.street)}\t` +
      `${copyText(a.city)}\t${copyText(a.state)}\t${copyText(a.country)}\t${copyText(a.postcode)}\t` +
      `${copyText(v.email)}\t${copyText(v.phone)}\t${copyText(v.cell)}\t${copyText(v.picture_url)}\t` +
      `${v.registered_age}\t${registeredAt.of(v.registered_at)}\n`;
  }
  return rows;
}

/** The electorate has a few thousand birthdays: each is formatted once. */
const birthdays = new Map<number, string>();

function birthday(days: number): string {
  let text = birthdays.get(days);
  if (text === undefined) {
    text = isoDate(days);
    birthdays.set(days, text);
  }
  return text;
}

const COPY_SPECIAL = /[\\\t\n\r]/;

function copyText(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}

/** One statement per batch: column arrays through unnest, existing voters left untouched. */
async function insertNewVoters(client: pg.PoolClient, voters: readonly Voter[]): Promise<number> {
  const column = <T>(f: (v: Voter) => T): T[] => voters.map(f);
  const result = await client.query(
    `INSERT INTO voters (${VOTER_COLUMNS})
     SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[], $7::text[],
       $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
       $16::int[], $17::timestamptz[])
     ON CONFLICT DO NOTHING`,
    [
      column((v) => v.voter_id),
      column((v) => v.name),
      column((v) => isoDate(v.date_of_birth)),
      column((v) => v.gender),
      column((v) => v.nationality),
      column((v) => v.registration_number),
      column((v) => v.address.street),
      column((v) => v.address.city),
      column((v) => v.address.state),
      column((v) => v.address.country),
      column((v) => v.address.postcode),
      column((v) => v.email),
      column((v) => v.phone),
      column((v) => v.cell),
      column((v) => v.picture_url),
      column((v) => v.registered_age),
      column((v) => new Date(v.registered_at).toISOString()),
    ],
  );
  return result.rowCount ?? 0;
}
