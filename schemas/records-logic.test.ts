import { describe, expect, it } from "vitest";
import { ageBandAt, avroTypes, epochDays, isoDate, IsoTimestamps } from "./records.js";
import { frame, frameRecord, unframe } from "./wire.js";

describe("age bands", () => {
  const castAt = Date.UTC(2026, 10, 3, 12);
  it.each([
    [epochDays(2008, 11, 3), "18-24"], // 18 on the day
    [epochDays(2001, 11, 4), "18-24"], // 25 tomorrow
    [epochDays(2001, 11, 3), "25-34"],
    [epochDays(1982, 1, 1), "35-44"],
    [epochDays(1972, 6, 30), "45-54"],
    [epochDays(1962, 11, 3), "55-64"], // 64 on the day
    [epochDays(1961, 11, 3), "65+"],
    [epochDays(1930, 2, 28), "65+"],
  ])("born %i is %s", (dob, band) => {
    expect(ageBandAt(dob, castAt)).toBe(band);
  });

  it("converts dates both ways", () => {
    expect(isoDate(epochDays(1990, 2, 28))).toBe("1990-02-28");
    expect(epochDays(1970, 1, 1)).toBe(0);
  });
});

describe("timestamps", () => {
  it("formats timestamps as ISO text, a repeated one from the last formatting", () => {
    const times = new IsoTimestamps();
    expect([0, 0, 1_700_000_000_123].map((t) => times.of(t))).toEqual([
      "1970-01-01T00:00:00.000Z",
      "1970-01-01T00:00:00.000Z",
      "2023-11-14T22:13:20.123Z",
    ]);
  });
});

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
