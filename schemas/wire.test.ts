import { describe, expect, it } from "vitest";
import { avroTypes } from "./records.js";
import { frame, frameRecord, unframe } from "./wire.js";

describe("wire format", () => {
  it("frames and unframes an Avro body with its schema id", () => {
    const vote = {
      vote_id: "v",
      voter_id: "x",
      candidate_id: "c",
      party: "p",
      state: "s",
      gender: "female",
      age_band: "65+",
      cast_at: 1_700_000_000_123,
    };
    const message = frame(4242, avroTypes.vote.toBuffer(vote));
    const parts = unframe(message);
    expect(parts.ok).toBe(true);
    if (!parts.ok) return;
    expect(parts.schemaId).toBe(4242);
    expect(avroTypes.vote.fromBuffer(parts.body)).toEqual(vote);
  });

  it("encodes a record straight into its frame, small or larger than the first guess", () => {
    const candidate = {
      candidate_id: "c1",
      name: "Ada Byron",
      party: "Analytical Party",
      biography: "b".repeat(2_000),
      platform: "Engines for everyone",
      photo_url: "https://example.org/ada.jpg",
      registered_at: 1_700_000_000_000,
    };
    for (const c of [candidate, { ...candidate, biography: "short" }]) {
      const framed = frameRecord(7, avroTypes.candidate, c);
      expect(framed.equals(frame(7, avroTypes.candidate.toBuffer(c)))).toBe(true);
      const parts = unframe(framed);
      expect(parts.ok && avroTypes.candidate.fromBuffer(parts.body)).toEqual(c);
    }
  });

  it("says garbage is not framed", () => {
    expect(unframe(Buffer.from("hello world")).ok).toBe(false);
    expect(unframe(Buffer.from([0, 1])).ok).toBe(false);
    expect(unframe(null).ok).toBe(false);
  });
});
