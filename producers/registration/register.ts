import type { Producer } from "kafkajs";
import type pg from "pg";
import { avroTypes, isoDate, type Candidate, type Voter } from "../../schemas/records.js";
import { topics } from "../../schemas/topics.js";
import { frame } from "../../schemas/wire.js";
import type { ElectionDefinition } from "../election/definition.js";
import { candidatesOf, drawVoters } from "./electorate.js";

export interface RegistrationPlan {
  readonly election: ElectionDefinition;
  readonly seed: number;
  readonly voters: number;
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
      topic: topics.candidates.name,
      acks: -1,
      messages: candidates.map((c) => ({
        key: c.candidate_id,
        value: frame(ids.candidate, avroTypes.candidate.toBuffer(c)),
      })),
    });
    published = 0;
    await saveCheckpoint(pool, plan.seed, 0);
  }
  const alreadyRegistered = Math.min(published, plan.voters);
  let votersAdded = 0;
  let votersProduced = 0;
  onProgress(alreadyRegistered);
  // Three batches are in hand at once: the next one is drawn while this one is inserted, and the
  // previous one is still being produced. Each batch still reaches PostgreSQL before Kafka, and the
  // checkpoint moves only past batches that are in both, in order.
  const draw = (from: number): Voter[] => {
    const registeredAt = Date.now();
    return drawVoters(plan.election, plan.seed, from, Math.min(from + plan.batchSize, plan.voters)).map(
      (v) => ({ ...v, registered_at: registeredAt }),
    );
  };
  let producing: Promise<void> = Promise.resolve();
  let next = published < plan.voters ? draw(published) : [];
  for (let from = published; from < plan.voters; from += plan.batchSize) {
    const to = Math.min(from + plan.batchSize, plan.voters);
    const voters = next;
    const inserting = insertVoters(pool, voters);
    next = to < plan.voters ? draw(to) : [];
    votersAdded += await inserting;
    await producing;
    producing = producer
      .send({
        topic: topics.voters.name,
        acks: -1,
        messages: voters.map((v) => ({
          key: v.voter_id,
          value: frame(ids.voter, avroTypes.voter.toBuffer(v)),
        })),
      })
      .then(async () => {
        votersProduced += voters.length;
        await saveCheckpoint(pool, plan.seed, to);
        onProgress(to);
      });
  }
  await producing;
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

/** One statement per batch: column arrays through unnest, existing voters left untouched. */
async function insertVoters(pool: pg.Pool, voters: readonly Voter[]): Promise<number> {
  const column = <T>(f: (v: Voter) => T): T[] => voters.map(f);
  const result = await pool.query(
    `INSERT INTO voters (voter_id, name, date_of_birth, gender, nationality, registration_number, street, city,
       state, country, postcode, email, phone, cell, picture_url, registered_age, registered_at)
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
