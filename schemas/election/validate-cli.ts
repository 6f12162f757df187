import { CommandError } from "../../producers/runtime/command-error.js";
import { runMain } from "../../producers/runtime/main.js";
import { readElectionFile, requireElection } from "./load.js";

/**
 * `make election-validate ELECTION=<file>`: says what the election holds if the document is sound, and
 * otherwise lists every problem and exits 2, as every command that takes an election does before it
 * writes anything.
 */
runMain("election-validate", async () => {
  const [file, ...more] = process.argv.slice(2);
  if (!file || more.length > 0) {
    throw new CommandError(
      "usage: make election-validate ELECTION=<file> (one YAML or JSON Election document)",
    );
  }
  const { metadata, spec } = requireElection(readElectionFile(file), file);
  console.log(
    `election ${metadata.name}: valid (${spec.candidates.length} candidates, ${spec.regions.length} regions, ` +
      `${spec.electorate.voters.toLocaleString("en-US")} voters)`,
  );
  return 0;
});
