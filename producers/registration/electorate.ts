import { Faker, en, en_US } from "@faker-js/faker";
import { epochDays, type Candidate, type Gender, type Voter } from "../../schemas/records.js";
import { pickWeighted, voterId } from "../election/choice.js";
import type { ElectionDefinition } from "../election/definition.js";

/**
 * Voters are drawn in fixed chunks, each from a faker seeded with (election seed, chunk): seeding per
 * voter would cost more than drawing it, and a fixed chunk keeps voter i the same whatever batch size
 * the caller writes with.
 */
export const GENERATION_CHUNK = 500;

const genders: readonly { gender: Gender; weight: number }[] = [
  { gender: "female", weight: 50 },
  { gender: "male", weight: 48 },
  { gender: "other", weight: 2 },
];

/** Voting-age distribution: [youngest, oldest, weight], roughly an adult population pyramid. */
const ageBrackets: readonly (readonly [number, number, number])[] = [
  [18, 24, 11],
  [25, 34, 18],
  [35, 44, 17],
  [45, 54, 16],
  [55, 64, 16],
  [65, 95, 22],
];

export type VoterDraft = Omit<Voter, "registered_at">;

/** Voters [from, to) of the electorate of (election, seed); the same every time. */
export function drawVoters(
  election: ElectionDefinition,
  seed: number,
  from: number,
  to: number,
): VoterDraft[] {
  const faker = new Faker({ locale: [en_US, en] });
  const day = new Date(`${election.electionDay}T00:00:00Z`);
  const voters: VoterDraft[] = [];
  for (let chunk = Math.floor(from / GENERATION_CHUNK); chunk * GENERATION_CHUNK < to; chunk++) {
    faker.seed([seed, chunk]);
    const first = chunk * GENERATION_CHUNK;
    for (let index = first; index < first + GENERATION_CHUNK && index < to; index++) {
      // Draw every voter of the chunk, even those before `from`, so the stream stays aligned.
      const voter = drawVoter(faker, election, seed, index, day);
      if (index >= from) voters.push(voter);
    }
  }
  return voters;
}

function drawVoter(
  faker: Faker,
  election: ElectionDefinition,
  seed: number,
  index: number,
  day: Date,
): VoterDraft {
  const region = pickWeighted(election.regions, (r) => r.electorateShare, faker.number.float());
  const { gender } = pickWeighted(genders, (g) => g.weight, faker.number.float());
  const [youngest, oldest] = pickWeighted(ageBrackets, (b) => b[2], faker.number.float());
  const age = faker.number.int({ min: youngest, max: oldest });
  const dayOfYear = faker.number.int({ min: 0, max: 364 });
  // Born `age` full years before election day, a few days to most of a year earlier still.
  const dateOfBirth =
    epochDays(day.getUTCFullYear() - age, day.getUTCMonth() + 1, day.getUTCDate()) - 1 - dayOfYear;
  const sex = gender === "other" ? undefined : gender;
  const firstName = faker.person.firstName(sex);
  const lastName = faker.person.lastName();
  const portrait = faker.number.int({ min: 0, max: 99 });
  return {
    voter_id: voterId(seed, index),
    name: `${firstName} ${lastName}`,
    date_of_birth: dateOfBirth,
    gender,
    nationality: election.nationality,
    registration_number: `${region.code}-${seed}-${String(index).padStart(9, "0")}`,
    address: {
      street: faker.location.streetAddress(),
      city: faker.location.city(),
      state: region.state,
      country: election.country,
      postcode: postcode(faker, region.code),
    },
    email: faker.internet.email({ firstName, lastName }).toLowerCase(),
    phone: faker.phone.number(),
    cell: faker.phone.number(),
    picture_url: `https://randomuser.me/api/portraits/${gender === "male" ? "men" : "women"}/${portrait}.jpg`,
    // The age on election day; the register's check is that every voter is of age.
    registered_age: age,
  };
}

/** States faker has no postcode ranges for get a plain five-digit postcode. */
const postcodeStates = new Map<string, boolean>();

function postcode(faker: Faker, code: string): string {
  let known = postcodeStates.get(code);
  if (known === undefined) {
    try {
      new Faker({ locale: [en_US, en] }).location.zipCode({ state: code });
      known = true;
    } catch {
      known = false;
    }
    postcodeStates.set(code, known);
  }
  return known ? faker.location.zipCode({ state: code }) : faker.location.zipCode("#####");
}

export function candidatesOf(election: ElectionDefinition, registeredAt: number): Candidate[] {
  return election.candidates.map((c) => ({ ...c, registered_at: registeredAt }));
}
