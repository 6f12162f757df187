import { Kafka, logLevel, type Producer } from "kafkajs";
import pg from "pg";
import { resetElection } from "../../../local/election/reset.js";
import { endpoints } from "../../../local/endpoints.js";
import { uniformSequence } from "../../../producers/election/choice.js";
import { ageBandAt, avroTypes, type Candidate, type Vote, type Voter } from "../../../schemas/records.js";
import { electionNames, type ElectionNames } from "../../../schemas/election/names.js";
import { valueSubject } from "../../../schemas/topics.js";
import { frame } from "../../../schemas/wire.js";

/**
 * A small election with a known outcome, written straight to the ledger (PostgreSQL) and to the topics,
 * for testing the Flink job on its own: the services are tested elsewhere.
 */
export interface KnownElection {
  readonly candidates: readonly Candidate[];
  readonly voters: readonly Voter[];
  readonly votes: readonly Vote[];
}

const STATES = ["California", "Texas", "New York", "Florida", "Ohio"] as const;
const GENDERS = ["female", "male", "other"] as const;
const PARTIES = ["Harbor Party", "Prairie Alliance", "Civic Union", "Green Ledger"] as const;

export function knownElection(voterCount: number, seed: number, castFrom: number): KnownElection {
  const random = uniformSequence(seed);
  const registeredAt = castFrom - 86_400_000;
  const candidates: Candidate[] = PARTIES.map((party, i) => ({
    candidate_id: `cand-${i + 1}`,
    name: `Candidate ${i + 1}`,
    party,
    biography: `Biography of candidate ${i + 1}.`,
    platform: `Platform of candidate ${i + 1}.`,
    photo_url: `https://example.org/photos/${i + 1}.jpg`,
    registered_at: registeredAt,
  }));
  const voters: Voter[] = [];
  const votes: Vote[] = [];
  for (let i = 0; i < voterCount; i++) {
    const voterId = `voter-${String(i).padStart(6, "0")}`;
    const state = STATES[Math.floor(random() * STATES.length)] as string;
    const gender = GENDERS[Math.floor(random() * GENDERS.length)] as string;
    // Born between 1940 and 2006: every age band is represented.
    const dateOfBirth = Math.floor(-10_957 + random() * 24_000);
    voters.push({
      voter_id: voterId,
      name: `Voter ${i}`,
      date_of_birth: dateOfBirth,
      gender,
      nationality: "US",
      registration_number: `REG-${seed}-${i}`,
      address: {
        street: `${i} Main Street`,
        city: "Springfield",
        state,
        country: "United States",
        postcode: "00000",
      },
      email: `voter${i}@example.org`,
      phone: "555-0100",
      cell: "555-0101",
      picture_url: `https://example.org/voters/${i}.jpg`,
      registered_age: 18,
      registered_at: registeredAt,
    });
    // Four in five vote; candidate preference is skewed so the leader differs from a uniform draw.
    if (random() < 0.8) {
      const pick = random();
      const candidate = candidates[pick < 0.4 ? 0 : pick < 0.7 ? 1 : pick < 0.9 ? 2 : 3] as Candidate;
      // Spread over three minutes of casting time.
      const castAt = castFrom + Math.floor(random() * 180_000);
      votes.push({
        vote_id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        voter_id: voterId,
        candidate_id: candidate.candidate_id,
        party: candidate.party,
        state,
        gender,
        age_band: ageBandAt(dateOfBirth, castAt),
        cast_at: castAt,
      });
    }
  }
  return { candidates, voters, votes };
}

export interface ElectionStage {
  /** What the stage's election owns: its topics, and the schema its db searches. */
  readonly names: ElectionNames;
  readonly kafka: Kafka;
  readonly db: pg.Pool;
  readonly schemaIds: Record<string, number>;
  readonly producer: Producer;
  close(): Promise<void>;
}

/** Starts from a reset election of that name (local/election/reset.ts), with clients to write to it. */
export async function freshStage(election: string): Promise<ElectionStage> {
  const { schemaIds } = await resetElection(election);
  const names = electionNames(election);
  const ep = endpoints();
  const kafka = new Kafka({
    clientId: "flink-test",
    brokers: [...ep.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });
  const db = new pg.Pool({
    connectionString: ep.databaseUrl,
    max: 4,
    options: `-c search_path=${names.databaseSchema}`,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return {
    names,
    kafka,
    db,
    schemaIds,
    producer,
    async close() {
      await producer.disconnect();
      await db.end();
    },
  };
}

/** Writes the register (candidates and voters) to PostgreSQL and to its topics. */
export async function publishRegister(stage: ElectionStage, election: KnownElection): Promise<void> {
  for (const c of election.candidates) {
    await stage.db.query(
      `INSERT INTO candidates (candidate_id, name, party, biography, platform, photo_url, registered_at)
       VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7 / 1000.0))`,
      [c.candidate_id, c.name, c.party, c.biography, c.platform, c.photo_url, c.registered_at],
    );
  }
  await stage.db.query(
    `INSERT INTO voters (voter_id, name, date_of_birth, gender, nationality, registration_number, street, city,
                         state, country, postcode, email, phone, cell, picture_url, registered_age, registered_at)
     SELECT v.voter_id, v.name, date '1970-01-01' + v.dob, v.gender, 'US', v.reg, 'street', 'city', v.state,
            'United States', '00000', 'e@example.org', 'p', 'c', 'u', 18, now()
     FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[])
          AS v(voter_id, name, dob, gender, reg, state)`,
    [
      election.voters.map((v) => v.voter_id),
      election.voters.map((v) => v.name),
      election.voters.map((v) => v.date_of_birth),
      election.voters.map((v) => v.gender),
      election.voters.map((v) => v.registration_number),
      election.voters.map((v) => v.address.state),
    ],
  );
  const { topics } = stage.names;
  const candidateSchema = stage.schemaIds[valueSubject(topics.candidates)] as number;
  const voterSchema = stage.schemaIds[valueSubject(topics.voters)] as number;
  await stage.producer.send({
    topic: topics.candidates.name,
    messages: election.candidates.map((c) => ({
      key: c.candidate_id,
      value: frame(candidateSchema, avroTypes.candidate.toBuffer(c)),
    })),
  });
  for (let i = 0; i < election.voters.length; i += 1000) {
    await stage.producer.send({
      topic: topics.voters.name,
      messages: election.voters.slice(i, i + 1000).map((v) => ({
        key: v.voter_id,
        value: frame(voterSchema, avroTypes.voter.toBuffer(v)),
      })),
    });
  }
}

/** Records votes in the ledger, as the voting service does before it produces them. */
export async function recordVotes(stage: ElectionStage, votes: readonly Vote[]): Promise<void> {
  if (votes.length === 0) return;
  await stage.db.query(
    `INSERT INTO votes (voter_id, vote_id, candidate_id, party, state, gender, age_band, cast_at)
     SELECT voter_id, vote_id, candidate_id, party, state, gender, age_band, to_timestamp(cast_at / 1000.0)
     FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[])
          AS v(voter_id, vote_id, candidate_id, party, state, gender, age_band, cast_at)`,
    [
      votes.map((v) => v.voter_id),
      votes.map((v) => v.vote_id),
      votes.map((v) => v.candidate_id),
      votes.map((v) => v.party),
      votes.map((v) => v.state),
      votes.map((v) => v.gender),
      votes.map((v) => v.age_band),
      votes.map((v) => v.cast_at),
    ],
  );
}

export async function produceVotes(stage: ElectionStage, votes: readonly Vote[]): Promise<void> {
  const { topics } = stage.names;
  const schema = stage.schemaIds[valueSubject(topics.votes)] as number;
  for (let i = 0; i < votes.length; i += 1000) {
    await stage.producer.send({
      topic: topics.votes.name,
      messages: votes
        .slice(i, i + 1000)
        .map((v) => ({ key: v.voter_id, value: frame(schema, avroTypes.vote.toBuffer(v)) })),
    });
  }
}

/**
 * The order votes reach Kafka in: by casting time, except that some arrive up to 4 s late, behind
 * votes cast after them (inside the job's 5 s watermark), and some are delivered twice.
 */
export function deliveryOrder(votes: readonly Vote[], seed: number): Vote[] {
  const random = uniformSequence(seed);
  const delayed = votes.map((v) => ({
    v,
    at: v.cast_at + (random() < 0.2 ? Math.floor(random() * 4000) : 0),
  }));
  const duplicates = votes
    .filter(() => random() < 0.1)
    .map((v) => ({ v, at: v.cast_at + Math.floor(random() * 4000) }));
  return [...delayed, ...duplicates].sort((a, b) => a.at - b.at).map((d) => d.v);
}
