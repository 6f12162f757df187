import { EnvReader } from "../producers/runtime/env.js";
import { chaosLine, chaosPassed, runChaos } from "./run.js";

/**
 * `make chaos`: an election of CHAOS_VOTERS voters (100,000) on the local stack, run through the
 * faults and bad records of chaos/run.ts, ending with one line of what it found.
 */
async function main(): Promise<number> {
  const env = new EnvReader(process.env);
  const voters = env.positiveInt("CHAOS_VOTERS", 100_000);
  const seed = env.positiveInt("ELECTION_SEED", 2026);
  const votingSeconds = env.positiveInt("CHAOS_VOTING_SECONDS", 150);
  env.done("chaos");
  const report = await runChaos({ voters, seed, votingSeconds, say: (line) => console.log(line) });
  for (const problem of [
    ...report.wrongRejections,
    ...report.wrongDeadLetters,
    ...report.aggregatedMismatches,
    ...report.tombstones.map((t) => `tombstone for ${t.topic}/${t.key} at offset ${t.offset}`),
  ]) {
    console.log(`chaos: problem: ${problem}`);
  }
  console.log(chaosLine(report));
  return chaosPassed(report, 6) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`chaos: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
