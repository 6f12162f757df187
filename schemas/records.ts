import avro from "avsc";
import {
  candidateSchema,
  deadLetterSchema,
  voteSchema,
  voterSchema,
  type Candidate,
  type DeadLetter,
  type Vote,
  type Voter,
} from "./generated/records.js";

export type { Address, Candidate, DeadLetter, Vote, Voter } from "./generated/records.js";
export { candidateSchema, deadLetterSchema, voteSchema, voterSchema };

/** The Avro types of the contracts, parsed once; avsc maps timestamp-millis and date to numbers. */
export const avroTypes = {
  candidate: avro.Type.forSchema(candidateSchema as unknown as avro.Schema) as avro.Type &
    RecordCodec<Candidate>,
  voter: avro.Type.forSchema(voterSchema as unknown as avro.Schema) as avro.Type & RecordCodec<Voter>,
  vote: avro.Type.forSchema(voteSchema as unknown as avro.Schema) as avro.Type & RecordCodec<Vote>,
  deadLetter: avro.Type.forSchema(deadLetterSchema as unknown as avro.Schema) as avro.Type &
    RecordCodec<DeadLetter>,
};

interface RecordCodec<T> {
  toBuffer(value: T): Buffer;
  fromBuffer(buffer: Buffer): T;
}

export const genders = ["female", "male", "other"] as const;
export type Gender = (typeof genders)[number];

export const ageBands = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"] as const;
export type AgeBand = (typeof ageBands)[number];

const DAY_MS = 86_400_000;

/**
 * The age band of a voter on the day a vote is cast, from the date of birth (days since the epoch).
 * The date of birth rather than registered_age: a register outlives the day it was drawn up.
 */
export function ageBandAt(dateOfBirthDays: number, atMillis: number): AgeBand {
  const birth = new Date(dateOfBirthDays * DAY_MS);
  const at = new Date(atMillis);
  let age = at.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    at.getUTCMonth() < birth.getUTCMonth() ||
    (at.getUTCMonth() === birth.getUTCMonth() && at.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  if (age < 25) return "18-24";
  if (age < 35) return "25-34";
  if (age < 45) return "35-44";
  if (age < 55) return "45-54";
  if (age < 65) return "55-64";
  return "65+";
}

/** Days since the epoch of a UTC calendar date, as Avro's date logical type counts them. */
export function epochDays(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

/**
 * Epoch milliseconds as ISO timestamp text, formatted once for each run of equal times: the rows of a
 * batch share one registration or casting time.
 */
export class IsoTimestamps {
  private at = Number.NaN;
  private text = "";

  of(millis: number): string {
    if (millis !== this.at) {
      this.at = millis;
      this.text = new Date(millis).toISOString();
    }
    return this.text;
  }
}

/** An Avro date (days since the epoch) as PostgreSQL's ISO date text. */
export function isoDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}
