import { join } from "node:path";
import { electionDefinition, type ElectionDefinition } from "../../producers/election/definition.js";
import { readElectionFile, requireElection } from "../../schemas/election/load.js";
import type { Election } from "../../schemas/generated/election.js";
import { repoRoot } from "../../versions.js";

/** An example of elections/, as a user copies it: what unit tests draw electorates and votes from. */
export function exampleElection(file = "general-2026.yaml"): Election {
  const path = join(repoRoot, "elections", file);
  return requireElection(readElectionFile(path), path);
}

/** The default election (elections/general-2026.yaml) as registration and voting draw from it. */
export const defaultElection: ElectionDefinition = electionDefinition(exampleElection());
