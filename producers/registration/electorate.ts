import { createHash } from "node:crypto";
import { Faker, en, en_US } from "@faker-js/faker";
import { epochDays, type Candidate, type Gender, type Voter } from "../../schemas/records.js";
import { pickWeighted, uniformSequence, voterId } from "../election/choice.js";
import type { ElectionDefinition } from "../election/definition.js";

/**
 * Names, streets, cities and postcodes are drawn with faker once per seed into pools; each voter then
 * combines them with a small generator seeded from (seed, voter index). Faker per voter managed some
 * 7,000 voters/s, too slow for a million-voter election; the pools keep the realism at a fraction of
 * the cost, and voter i stays the same whatever batch it is drawn in.
 */
const POOL_SIZE = 1_000;

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

interface VoterPools {
  readonly firstNames: Readonly<Record<"female" | "male", readonly string[]>>;
  readonly lastNames: readonly string[];
  readonly streets: readonly string[];
  readonly cities: readonly string[];
  readonly emailDomains: readonly string[];
  readonly postcodes: ReadonlyMap<string, readonly string[]>;
}

const poolsBySeed = new Map<number, VoterPools>();

function poolsFor(election: ElectionDefinition, seed: number): VoterPools {
  let pools = poolsBySeed.get(seed);
  if (pools === undefined) {
    const faker = new Faker({ locale: [en_US, en] });
    faker.seed(seed);
    const draw = <T>(f: () => T): T[] => Array.from({ length: POOL_SIZE }, f);
    pools = {
      firstNames: {
        female: draw(() => faker.person.firstName("female")),
        male: draw(() => faker.person.firstName("male")),
      },
      lastNames: draw(() => faker.person.lastName()),
      streets: draw(() => faker.location.street()),
      cities: draw(() => faker.location.city()),
      emailDomains: [...new Set(draw(() => faker.internet.email().split("@")[1] ?? "example.org"))],
      postcodes: new Map(
        election.regions.map((r) => [r.code, Array.from({ length: 100 }, () => postcode(faker, r.code))]),
      ),
    };
    poolsBySeed.set(seed, pools);
  }
  return pools;
}

/** A per-voter generator, seeded from a digest of (seed, index). */
function voterRandom(seed: number, index: number): () => number {
  return uniformSequence(createHash("sha256").update(`voter\0${seed}\0${index}`).digest().readUInt32BE(0));
}

/** Voters [from, to) of the electorate of (election, seed); the same every time. */
export function drawVoters(
  election: ElectionDefinition,
  seed: number,
  from: number,
  to: number,
): VoterDraft[] {
  const pools = poolsFor(election, seed);
  const day = new Date(`${election.electionDay}T00:00:00Z`);
  const voters: VoterDraft[] = [];
  for (let index = from; index < to; index++) voters.push(drawVoter(pools, election, seed, index, day));
  return voters;
}

function drawVoter(
  pools: VoterPools,
  election: ElectionDefinition,
  seed: number,
  index: number,
  day: Date,
): VoterDraft {
  const random = voterRandom(seed, index);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const digits = (n: number) => String(int(0, 10 ** n - 1)).padStart(n, "0");
  const phone = () => `(${int(201, 989)}) ${int(200, 999)}-${digits(4)}`;

  const region = pickWeighted(election.regions, (r) => r.electorateShare, random());
  const { gender } = pickWeighted(genders, (g) => g.weight, random());
  const [youngest, oldest] = pickWeighted(ageBrackets, (b) => b[2], random());
  const age = int(youngest, oldest);
  const dayOfYear = int(0, 364);
  // Born `age` full years before election day, a few days to most of a year earlier still.
  const dateOfBirth =
    epochDays(day.getUTCFullYear() - age, day.getUTCMonth() + 1, day.getUTCDate()) - 1 - dayOfYear;
  const firstName = pick(
    pools.firstNames[
      gender === "male" ? "male" : gender === "female" ? "female" : pick(["female", "male"] as const)
    ],
  );
  const lastName = pick(pools.lastNames);
  const portrait = int(0, 99);
  return {
    voter_id: voterId(seed, index),
    name: `${firstName} ${lastName}`,
    date_of_birth: dateOfBirth,
    gender,
    nationality: election.nationality,
    registration_number: `${region.code}-${seed}-${String(index).padStart(9, "0")}`,
    address: {
      street: `${int(1, 9999)} ${pick(pools.streets)}`,
      city: pick(pools.cities),
      state: region.state,
      country: election.country,
      postcode: pick(pools.postcodes.get(region.code) ?? ["00000"]),
    },
    email: `${firstName}.${lastName}${int(1, 99)}@${pick(pools.emailDomains)}`
      .toLowerCase()
      .replace(/[^a-z0-9.@_-]/g, ""),
    phone: phone(),
    cell: phone(),
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
