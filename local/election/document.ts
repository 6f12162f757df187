import { join } from "node:path";
import { readElectionFile, requireElection } from "../../schemas/election/load.js";
import { validateElection } from "../../schemas/election/validate.js";
import type { Election } from "../../schemas/generated/election.js";
import { repoRoot } from "../../versions.js";

/** The election `make demo` runs without ELECTION=<file>. */
export const DEFAULT_ELECTION_FILE = join(repoRoot, "elections", "general-2026.yaml");

/** An Election document from a file; every problem of a bad one ends the command (exit 2). */
export function loadElection(path: string = DEFAULT_ELECTION_FILE): Election {
  return requireElection(readElectionFile(path), path);
}

/** What a local run may change of a document: its name, the size and seed of its electorate, its pace. */
export interface ElectionOverrides {
  readonly name?: string;
  readonly voters?: number;
  readonly seed?: number;
  /** Votes per second; 0 for as fast as the voting service can. */
  readonly rateLimit?: number;
}

/**
 * The same election under other settings (the demo's VOTERS, a benchmark's size, a test's name),
 * checked again as a whole: an override can break a rule the document kept.
 */
export function withOverrides(election: Election, overrides: ElectionOverrides): Election {
  const { spec } = election;
  const { rateLimit: declared, ...window } = spec.voting ?? {};
  const rateLimit = overrides.rateLimit ?? declared ?? 0;
  const changed: Election = {
    ...election,
    metadata: { ...election.metadata, name: overrides.name ?? election.metadata.name },
    spec: {
      ...spec,
      electorate: {
        voters: overrides.voters ?? spec.electorate.voters,
        seed: overrides.seed ?? spec.electorate.seed,
      },
      voting: rateLimit > 0 ? { ...window, rateLimit } : window,
    },
  };
  return requireElection(
    validateElection(changed),
    `${election.metadata.name} with ${JSON.stringify(overrides)}`,
  );
}
