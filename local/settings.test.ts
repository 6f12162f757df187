import { describe, expect, it } from "vitest";
import { stackSettings } from "./settings.js";

describe("stack settings", () => {
  it("has defaults that stay clear of the usual ports", () => {
    const s = stackSettings({});
    expect(s.postgres.port).not.toBe(5432);
    expect(s.kafka.port).not.toBe(9092);
    expect(s.kafka.heap).toBe("512m");
  });

  it("names every bad value at once", () => {
    expect(() =>
      stackSettings({
        LIVETALLY_KAFKA_PORT: "99999",
        LIVETALLY_FLINK_HEAP: "lots",
        LIVETALLY_FLINK_SLOTS: "0",
      }),
    ).toThrow(
      /LIVETALLY_KAFKA_PORT=99999: expected a TCP port[\s\S]*LIVETALLY_FLINK_SLOTS=0[\s\S]*LIVETALLY_FLINK_HEAP=lots/,
    );
  });
});
