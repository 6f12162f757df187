import { describe, expect, it } from "vitest";
import { chaosLine, runChaos } from "../../chaos/run.js";

/**
 * `make chaos` at a size for the test suite: the same faults and bad records, over a smaller election
 * whose voting is paced to last long enough for all of them.
 */
describe("an election run through faults and bad records", () => {
  it("loses nothing, doubles nothing, rejects each bad record with its reason, and certifies", async () => {
    const report = await runChaos({
      voters: 20_000,
      seed: 2026,
      votingSeconds: 90,
      say: (line) => console.log(line),
    });
    expect(report.faults).toEqual([
      "voting service SIGKILL",
      "kafka broker restart",
      "voting service SIGKILL",
      "postgres immediate stop and start",
      "flink SIGKILL and start",
      "voting service SIGKILL",
    ]);
    expect(report.badRecords).toHaveLength(44);
    expect(report.wrongRejections).toEqual([]);
    expect(report.wrongDeadLetters).toEqual([]);
    expect(report.aggregatedMismatches).toEqual([]);
    // A reader following both compacted topics through the whole election saw no key deleted.
    expect(report.tombstones).toEqual([]);
    expect(chaosLine(report)).toBe(
      "chaos: voters=20000 faults=6 bad_records=44 lost=0 doubled=0 rejected=44 certification=MATCH",
    );
  }, 900_000);
});
