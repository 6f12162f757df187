import { CommandError } from "../../producers/runtime/command-error.js";
import { runMain } from "../../producers/runtime/main.js";
import { stackContext, stackUp } from "../stack.js";
import { loadElection } from "./document.js";
import { removeElection } from "./reset.js";

const usage = "usage: make election-remove ELECTION=<file> | ELECTION_NAME=<name>";

/**
 * `make election-remove`: one election off the local stack (its tally job and checkpoints, groups,
 * topics, subjects and database schema), every other election untouched. Refused while one of its
 * services still consumes.
 */
runMain("election-remove", async () => {
  const args = process.argv.slice(2);
  let name: string;
  if (args[0] === "--name" && args.length === 2 && args[1]) name = args[1];
  else if (args.length === 1 && args[0]) name = loadElection(args[0]).metadata.name;
  else throw new CommandError(usage);
  await stackUp(stackContext());
  const removed = await removeElection(name);
  console.log(
    `election-remove: ${name}: ${removed.topics.length} topics, ${removed.subjects.length} subjects, ` +
      `${removed.groups.length} consumer groups${removed.databaseSchema ? ", its database schema" : ""} removed`,
  );
  return 0;
});
