import { Faker, en, en_US } from "@faker-js/faker";
import { epochDays, type Candidate, type Gender, type Voter } from "../../schemas/records.js";
import { UniformSequence, WeightedTable, voterIdentity } from "../election/choice.js";
import type { ElectionDefinition, RegionDefinition } from "../election/definition.js";

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

/** What every voter of an (election, seed) is drawn from, prepared once. */
interface Electorate {
  readonly election: ElectionDefinition;
  readonly pools: VoterPools;
  /** Names as they appear in an email address, by the name. */
  readonly emailNames: ReadonlyMap<string, string>;
  readonly regions: WeightedTable<RegionDefinition>;
  readonly genders: WeightedTable<{ readonly gender: Gender; readonly weight: number }>;
  readonly ages: WeightedTable<readonly [number, number, number]>;
  /** Days since the epoch of election day, this many years earlier, by age. */
  readonly birthdays: readonly number[];
}

const electorates = new Map<number, Electorate>();

function electorateOf(election: ElectionDefinition, seed: number): Electorate {
  let electorate = electorates.get(seed);
  if (electorate?.election !== election) {
    const pools = drawPools(election, seed);
    const day = new Date(`${election.electionDay}T00:00:00Z`);
    const oldest = Math.max(...ageBrackets.map((b) => b[1]));
    electorate = {
      election,
      pools,
      emailNames: new Map(
        [...pools.firstNames.female, ...pools.firstNames.male, ...pools.lastNames].map((n) => [
          n,
          n.toLowerCase().replace(/[^a-z0-9._-]/g, ""),
        ]),
      ),
      regions: new WeightedTable(election.regions, (r) => r.electorateShare),
      genders: new WeightedTable(genders, (g) => g.weight),
      ages: new WeightedTable(ageBrackets, (b) => b[2]),
      birthdays: Array.from({ length: oldest + 1 }, (_, age) =>
        epochDays(day.getUTCFullYear() - age, day.getUTCMonth() + 1, day.getUTCDate()),
      ),
    };
    electorates.set(seed, electorate);
  }
  return electorate;
}

function drawPools(election: ElectionDefinition, seed: number): VoterPools {
  const faker = new Faker({ locale: [en_US, en] });
  faker.seed(seed);
  const draw = <T>(f: () => T): T[] => Array.from({ length: POOL_SIZE }, f);
  return {
    firstNames: {
      female: draw(() => faker.person.firstName("female")),
      male: draw(() => faker.person.firstName("male")),
    },
    lastNames: draw(() => faker.person.lastName()),
    streets: draw(() => faker.location.street()),
    cities: draw(() => faker.location.city()),
    emailDomains: [
      ...new Set(
        draw(() => (faker.internet.email().split("@")[1] ?? "example.org").toLowerCase()).map((d) =>
          d.replace(/[^a-z0-9._-]/g, ""),
        ),
      ),
    ],
    postcodes: new Map(
      election.regions.map((r) => [r.code, Array.from({ length: 100 }, () => postcode(faker, r.code))]),
    ),
  };
}

/** Voters [from, to) of the electorate of (election, seed); the same every time. */
export function drawVoters(
  election: ElectionDefinition,
  seed: number,
  from: number,
  to: number,
): VoterDraft[] {
  const electorate = electorateOf(election, seed);
  const draws = new UniformSequence(0);
  const voters: VoterDraft[] = [];
  for (let index = from; index < to; index++) voters.push(drawVoter(electorate, draws, seed, index));
  return voters;
}

function phone(draws: UniformSequence): string {
  return `(${draws.int(201, 989)}) ${draws.int(200, 999)}-${String(draws.int(0, 9999)).padStart(4, "0")}`;
}

function drawVoter(electorate: Electorate, draws: UniformSequence, seed: number, index: number): VoterDraft {
  const { election, pools } = electorate;
  const { voterId, drawSeed } = voterIdentity(seed, index);
  draws.reseed(drawSeed);
  const region = electorate.regions.pick(draws.next());
  const { gender } = electorate.genders.pick(draws.next());
  const [youngest, oldest] = electorate.ages.pick(draws.next());
  const age = draws.int(youngest, oldest);
  // Born `age` full years before election day, a few days to most of a year earlier still.
  const dateOfBirth = (electorate.birthdays[age] as number) - 1 - draws.int(0, 364);
  const firstName = draws.pick(
    pools.firstNames[
      gender === "male" ? "male" : gender === "female" ? "female" : draws.next() < 0.5 ? "female" : "male"
    ],
  );
  const lastName = draws.pick(pools.lastNames);
  const portrait = draws.int(0, 99);
  const streetNumber = draws.int(1, 9999);
  const street = draws.pick(pools.streets);
  const city = draws.pick(pools.cities);
  const postcode = draws.pick(pools.postcodes.get(region.code) ?? ["00000"]);
  const emailNumber = draws.int(1, 99);
  const emailDomain = draws.pick(pools.emailDomains);
  return {
    voter_id: voterId,
    name: `${firstName} ${lastName}`,
    date_of_birth: dateOfBirth,
    gender,
    nationality: election.nationality,
    registration_number: `${region.code}-${seed}-${String(index).padStart(9, "0")}`,
    address: {
      street: `${streetNumber} ${street}`,
      city,
      state: region.state,
      country: election.country,
      postcode,
    },
    email: `${electorate.emailNames.get(firstName)}.${electorate.emailNames.get(lastName)}${emailNumber}@${emailDomain}`,
    phone: phone(draws),
    cell: phone(draws),
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
