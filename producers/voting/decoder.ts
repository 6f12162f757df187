import avro from "avsc";
import { genders, voterSchema, type Address, type Voter } from "../../schemas/records.js";
import { unframe } from "../../schemas/wire.js";
import type { SchemaRegistryClient } from "../runtime/registry.js";

/** Why a record went to the dead-letter topic: the label values and DeadLetter.error. */
export const deadLetterReasons = [
  "undecodable",
  "unknown-schema",
  "invalid-record",
  "unknown-candidate",
  "unknown-voter",
] as const;
export type DeadLetterReason = (typeof deadLetterReasons)[number];

/** What voting needs of a Voter. */
export type VoterBallot = Pick<Voter, "voter_id" | "date_of_birth" | "gender"> & {
  readonly address: Pick<Address, "state">;
};

/**
 * The Voter schema cut down to the ballot's fields, as the reader schema: avsc then skips the other
 * fields of each record instead of building strings nobody reads (names, emails, streets...).
 */
const ballotType = avro.Type.forSchema({
  ...voterSchema,
  fields: voterSchema.fields
    .filter((f) => ["voter_id", "date_of_birth", "gender", "address"].includes(f.name))
    .map((f) =>
      typeof f.type === "object" && f.type.type === "record"
        ? { ...f, type: { ...f.type, fields: f.type.fields.filter((a) => a.name === "state") } }
        : f,
    ),
} as unknown as avro.Schema);

export type Decoded =
  | { readonly ok: true; readonly voter: VoterBallot }
  | { readonly ok: false; readonly reason: DeadLetterReason; readonly detail: string };

/**
 * Reads Voter records whatever compatible schema version wrote them: the writer schema comes from the
 * registry by the id in the message, and avsc resolves it to the Voter this service was built with.
 * A registry that cannot be reached is an error (thrown, so the batch is retried), not a bad record.
 */
export class VoterDecoder {
  private readonly resolvers = new Map<number, avro.Resolver | string>();

  constructor(private readonly registry: Pick<SchemaRegistryClient, "schemaById">) {}

  async decode(key: Buffer | null, value: Buffer | null): Promise<Decoded> {
    const parts = unframe(value);
    if (!parts.ok)
      return { ok: false, reason: "undecodable", detail: "not in the schema registry wire format" };
    const resolver = await this.resolver(parts.schemaId);
    if (resolver === undefined) {
      return {
        ok: false,
        reason: "unknown-schema",
        detail: `schema id ${parts.schemaId} is not in the registry`,
      };
    }
    if (typeof resolver === "string") return { ok: false, reason: "invalid-record", detail: resolver };
    let voter: VoterBallot;
    try {
      voter = ballotType.fromBuffer(parts.body, resolver) as VoterBallot;
    } catch (e) {
      return { ok: false, reason: "undecodable", detail: `Avro body unreadable: ${(e as Error).message}` };
    }
    const problem = invalidVoter(voter, key);
    return problem === undefined
      ? { ok: true, voter }
      : { ok: false, reason: "invalid-record", detail: problem };
  }

  /** The resolver for a writer schema id; a string says why that schema cannot be read as a Voter. */
  private async resolver(schemaId: number): Promise<avro.Resolver | string | undefined> {
    const cached = this.resolvers.get(schemaId);
    if (cached !== undefined) return cached;
    const writer = await this.registry.schemaById(schemaId);
    if (writer === undefined) return undefined;
    let resolver: avro.Resolver | string;
    try {
      const writerType = avro.Type.forSchema(JSON.parse(writer) as avro.Schema);
      resolver = ballotType.createResolver(writerType);
    } catch (e) {
      resolver = `schema id ${schemaId} cannot be read as ${voterSchema.name}: ${(e as Error).message}`;
    }
    this.resolvers.set(schemaId, resolver);
    return resolver;
  }
}

function invalidVoter(v: VoterBallot, key: Buffer | null): string | undefined {
  if (v.voter_id.trim() === "") return "voter_id is empty";
  if (key !== null && key.toString() !== v.voter_id)
    return `key ${key.toString()} is not the voter_id ${v.voter_id}`;
  if (!(genders as readonly string[]).includes(v.gender))
    return `gender ${v.gender} is not one of ${genders.join(", ")}`;
  if (v.address.state.trim() === "") return "the address has no state";
  return undefined;
}
