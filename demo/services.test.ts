import { describe, expect, it } from "vitest";
import { sumMetrics } from "./services.js";

describe("Prometheus text", () => {
  it("sums each metric over its labels and skips comments", () => {
    const text = [
      "# HELP livetally_consumer_lag Records not yet processed.",
      "# TYPE livetally_consumer_lag gauge",
      'livetally_consumer_lag{topic="voters",partition="0"} 3',
      'livetally_consumer_lag{topic="voters",partition="1"} 4',
      "livetally_votes_cast_total 1200",
      "",
    ].join("\n");
    expect(sumMetrics(text)).toEqual(
      new Map([
        ["livetally_consumer_lag", 7],
        ["livetally_votes_cast_total", 1200],
      ]),
    );
  });
});
