import { describe, expect, it } from "vitest";
import { ageBandAt, epochDays, isoDate, IsoTimestamps } from "./records.js";

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
