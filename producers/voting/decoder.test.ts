import avro from "avsc";
import { describe, expect, it } from "vitest";
import { avroTypes, epochDays, voterSchema, type Voter } from "../../schemas/records.js";
import { frame, frameRecord } from "../../schemas/wire.js";
import { VoterDecoder, type VoterBallot } from "./decoder.js";

const CURRENT = 1;
const OLDER = 2;
const NEWER = 3;
const RENAMED = 4;
const NO_GENDER = 5;
const NOT_JSON = 6;
const UNKNOWN = 99;

/** The Voter schema before the phone numbers and the picture were added. */
const olderSchema = {
  ...voterSchema,
  fields: voterSchema.fields.filter((f) => !["phone", "cell", "picture_url"].includes(f.name)),
};

/** A later Voter schema with a field this service was not built with. */
const newerSchema = {
  ...voterSchema,
  fields: [...voterSchema.fields, { name: "polling_station", type: "string", default: "" }],
};

/** Writer schemas by id, as the registry would answer; it counts the questions it was asked. */
class FakeRegistry {
  readonly asked: number[] = [];
  unreachable = false;
  private readonly schemas = new Map<number, string>([
    [CURRENT, JSON.stringify(voterSchema)],
    [OLDER, JSON.stringify(olderSchema)],
    [NEWER, JSON.stringify(newerSchema)],
    [RENAMED, JSON.stringify({ ...voterSchema, name: "Elector" })],
    [
      NO_GENDER,
      JSON.stringify({ ...voterSchema, fields: voterSchema.fields.filter((f) => f.name !== "gender") }),
    ],
    [NOT_JSON, "Voter, but not as JSON"],
  ]);

  async schemaById(id: number): Promise<string | undefined> {
    this.asked.push(id);
    if (this.unreachable) throw new Error("connect ECONNREFUSED 127.0.0.1:8081");
    return this.schemas.get(id);
  }
}

const voter: Voter = {
  voter_id: "voter-1",
  name: "Ada Lovelace",
  date_of_birth: epochDays(1985, 12, 10),
  gender: "female",
  nationality: "US",
  registration_number: "REG-1",
  address: { street: "1 Main St", city: "Columbus", state: "Ohio", country: "US", postcode: "43004" },
  email: "ada@example.org",
  phone: "555-0100",
  cell: "555-0101",
  picture_url: "https://example.org/ada.jpg",
  registered_age: 40,
  registered_at: Date.UTC(2026, 0, 5),
};

const ballotOf = (v: Voter): VoterBallot => ({
  voter_id: v.voter_id,
  date_of_birth: v.date_of_birth,
  gender: v.gender,
  address: { state: v.address.state },
});

const key = (v: Pick<Voter, "voter_id">): Buffer => Buffer.from(v.voter_id);
const record = (v: Voter): Buffer => frameRecord(CURRENT, avroTypes.voter, v);

function decoder(): { decoder: VoterDecoder; registry: FakeRegistry } {
  const registry = new FakeRegistry();
  return { decoder: new VoterDecoder(registry), registry };
}

describe("the voter decoder", () => {
  it("reads the ballot's fields of a record in the current schema", async () => {
    const decoded = await decoder().decoder.decode(key(voter), record(voter));
    expect(decoded).toEqual({ ok: true, voter: ballotOf(voter) });
  });

  it("takes a record without a key", async () => {
    expect((await decoder().decoder.decode(null, record(voter))).ok).toBe(true);
  });

  it("resolves a record written with an older compatible version of the schema", async () => {
    // avsc writes the fields of the writer's schema only: the voter's phones and picture are left out.
    const body = avro.Type.forSchema(olderSchema as unknown as avro.Schema).toBuffer(voter);
    expect(body.length).toBeLessThan(avroTypes.voter.toBuffer(voter).length);
    const decoded = await decoder().decoder.decode(key(voter), frame(OLDER, body));
    expect(decoded).toEqual({ ok: true, voter: ballotOf(voter) });
  });

  it("resolves a record written with a newer version that has a field more", async () => {
    const newer = avro.Type.forSchema(newerSchema as unknown as avro.Schema);
    const body = newer.toBuffer({ ...voter, polling_station: "Columbus 12" });
    const decoded = await decoder().decoder.decode(key(voter), frame(NEWER, body));
    expect(decoded).toEqual({ ok: true, voter: ballotOf(voter) });
  });

  it("asks the registry once per writer schema", async () => {
    const { decoder: d, registry } = decoder();
    await d.decode(key(voter), record(voter));
    await d.decode(key(voter), record(voter));
    await d.decode(null, frame(RENAMED, avroTypes.voter.toBuffer(voter)));
    await d.decode(null, frame(RENAMED, avroTypes.voter.toBuffer(voter)));
    expect(registry.asked).toEqual([CURRENT, RENAMED]);
  });

  it("throws when the registry cannot be reached, and asks again next time", async () => {
    const { decoder: d, registry } = decoder();
    registry.unreachable = true;
    await expect(d.decode(key(voter), record(voter))).rejects.toThrow("ECONNREFUSED");
    registry.unreachable = false;
    expect((await d.decode(key(voter), record(voter))).ok).toBe(true);
    expect(registry.asked).toEqual([CURRENT, CURRENT]);
  });

  describe("rejects a message", () => {
    const notFramed = { ok: false, reason: "undecodable", detail: "not in the schema registry wire format" };

    it("without a value", async () => {
      expect(await decoder().decoder.decode(key(voter), null)).toEqual(notFramed);
    });

    it("shorter than the wire format's header", async () => {
      expect(await decoder().decoder.decode(key(voter), Buffer.from([0, 0, 0, 1]))).toEqual(notFramed);
    });

    it("not starting with the magic byte", async () => {
      const json = Buffer.from(JSON.stringify(voter));
      expect(await decoder().decoder.decode(key(voter), json)).toEqual(notFramed);
    });

    it("whose schema id the registry does not know, asking again for the next", async () => {
      const { decoder: d, registry } = decoder();
      const message = frame(UNKNOWN, avroTypes.voter.toBuffer(voter));
      const unknown = { ok: false, reason: "unknown-schema", detail: "schema id 99 is not in the registry" };
      expect(await d.decode(key(voter), message)).toEqual(unknown);
      expect(await d.decode(key(voter), message)).toEqual(unknown);
      expect(registry.asked).toEqual([UNKNOWN, UNKNOWN]);
    });

    it.each([
      ["is of another record", RENAMED, /^schema id 4 cannot be read as Voter: .*Elector/],
      ["lacks a field the ballot needs", NO_GENDER, /^schema id 5 cannot be read as Voter: .*gender/],
      ["is not a schema at all", NOT_JSON, /^schema id 6 cannot be read as Voter: .*JSON/],
    ])("whose writer schema %s", async (_, schemaId, detail) => {
      const message = frame(schemaId, avroTypes.voter.toBuffer(voter));
      const decoded = await decoder().decoder.decode(key(voter), message);
      expect(decoded).toEqual({ ok: false, reason: "invalid-record", detail: expect.stringMatching(detail) });
    });

    it.each([
      ["truncated", record(voter).subarray(0, 20), "Avro body unreadable: truncated buffer"],
      [
        "with bytes after the record",
        Buffer.concat([record(voter), Buffer.from([1, 2])]),
        "Avro body unreadable: trailing data",
      ],
      ["with an empty body", frame(CURRENT, Buffer.alloc(0)), "Avro body unreadable: truncated buffer"],
    ])("whose body is %s", async (_, message, detail) => {
      expect(await decoder().decoder.decode(null, message)).toEqual({
        ok: false,
        reason: "undecodable",
        detail,
      });
    });

    it.each([
      ["an empty voter_id", { ...voter, voter_id: "" }, "voter_id is empty"],
      ["a blank voter_id", { ...voter, voter_id: "  " }, "voter_id is empty"],
      [
        "a gender not on the list",
        { ...voter, gender: "unknown" },
        "gender unknown is not one of female, male, other",
      ],
      [
        "an address without a state",
        { ...voter, address: { ...voter.address, state: "" } },
        "the address has no state",
      ],
      ["a blank state", { ...voter, address: { ...voter.address, state: " " } }, "the address has no state"],
    ])("of a voter with %s", async (_, invalid, detail) => {
      expect(await decoder().decoder.decode(key(invalid), record(invalid))).toEqual({
        ok: false,
        reason: "invalid-record",
        detail,
      });
    });

    it("keyed by another voter", async () => {
      expect(await decoder().decoder.decode(Buffer.from("voter-2"), record(voter))).toEqual({
        ok: false,
        reason: "invalid-record",
        detail: "key voter-2 is not the voter_id voter-1",
      });
    });
  });
});
