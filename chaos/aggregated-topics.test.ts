import { describe, expect, it } from "vitest";
import { decimalValue } from "./aggregated-topics.js";

describe("Avro decimals", () => {
  it("are big-endian two's complement unscaled values", () => {
    expect(decimalValue(Buffer.from([0x18, 0x6a]), 2)).toBe(62.5);
    expect(decimalValue(Buffer.from([0x00]), 2)).toBe(0);
    expect(decimalValue(Buffer.from([0xff, 0x38]), 2)).toBe(-2);
    expect(decimalValue(Buffer.from([0x0f, 0x42, 0x3f]), 2)).toBe(9999.99);
  });
});
