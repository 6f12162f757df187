import type { Election, ElectionRegion } from "../../schemas/generated/election.js";
import type { Candidate } from "../../schemas/records.js";
import { CommandError } from "../runtime/command-error.js";

/**
 * An election: who stands, for which party, where the voters live, how many of them turn out, and whom
 * each region prefers. Registration draws the electorate from it; the voting service draws each
 * voter's choice from it.
 */
/** A candidate as the election declares them: the Candidate contract but for when they were registered. */
export type CandidateDefinition = Omit<Candidate, "registered_at">;

/** A region as its Election document declares it (schemas/election/election.schema.yaml). */
export type RegionDefinition = ElectionRegion;

export interface ElectionDefinition {
  /** The election's identity, its document's metadata.name. */
  readonly name: string;
  /** The election as people call it. */
  readonly title: string;
  /** Election day (YYYY-MM-DD): ages are counted to it, so the electorate does not depend on today. */
  readonly electionDay: string;
  readonly country: string;
  readonly nationality: string;
  readonly candidates: readonly CandidateDefinition[];
  readonly regions: readonly RegionDefinition[];
}

/** What the services draw from a validated Election document: its candidates as the contract spells them. */
export function electionDefinition(election: Election): ElectionDefinition {
  const { spec } = election;
  return {
    name: election.metadata.name,
    title: spec.title,
    electionDay: spec.electionDay,
    country: spec.country,
    nationality: spec.nationality,
    candidates: spec.candidates.map((c) => ({
      candidate_id: c.id,
      name: c.name,
      party: c.party,
      biography: c.biography,
      platform: c.platform,
      photo_url: c.photoUrl,
    })),
    regions: spec.regions,
  };
}

export class ElectionError extends CommandError {
  override readonly name = "ElectionError";
}

/** Every problem with a definition, one sentence each; empty when it is sound. */
export function electionProblems(e: ElectionDefinition): string[] {
  const problems: string[] = [];
  if (e.name.trim() === "") problems.push("name: must not be empty");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(e.electionDay) || Number.isNaN(Date.parse(e.electionDay))) {
    problems.push(`electionDay=${e.electionDay}: expected a date YYYY-MM-DD`);
  }
  if (e.candidates.length < 2) problems.push("candidates: an election needs at least two");
  const ids = new Set<string>();
  for (const c of e.candidates) {
    if (c.candidate_id.trim() === "") problems.push(`candidate ${c.name}: empty candidate_id`);
    if (ids.has(c.candidate_id)) problems.push(`candidate ${c.candidate_id}: listed twice`);
    ids.add(c.candidate_id);
    if (c.party.trim() === "") problems.push(`candidate ${c.candidate_id}: empty party`);
  }
  if (e.regions.length === 0) problems.push("regions: an election needs at least one");
  const states = new Set<string>();
  let shares = 0;
  for (const r of e.regions) {
    if (states.has(r.state)) problems.push(`region ${r.state}: listed twice`);
    states.add(r.state);
    if (!/^[A-Z]{2}$/.test(r.code))
      problems.push(`region ${r.state}: code ${r.code} is not two capital letters`);
    if (!(r.electorateShare > 0)) problems.push(`region ${r.state}: electorateShare must be above 0`);
    shares += r.electorateShare;
    if (!(r.turnout >= 0 && r.turnout <= 1)) problems.push(`region ${r.state}: turnout must be from 0 to 1`);
    let weight = 0;
    for (const [id, w] of Object.entries(r.preferences)) {
      if (!ids.has(id)) problems.push(`region ${r.state}: preference for unknown candidate ${id}`);
      if (!(w >= 0) || !Number.isFinite(w))
        problems.push(`region ${r.state}: weight of ${id} must be a number >= 0`);
      else weight += w;
    }
    if (!(weight > 0))
      problems.push(`region ${r.state}: preferences must give some candidate a weight above 0`);
  }
  if (e.regions.length > 0 && Math.abs(shares - 1) > 1e-6) {
    problems.push(`regions: electorate shares sum to ${shares.toFixed(6)}, expected 1`);
  }
  return problems;
}

/** Returns the definition if it is sound; throws one error listing every problem otherwise. */
export function validateElection(e: ElectionDefinition): ElectionDefinition {
  const problems = electionProblems(e);
  if (problems.length > 0)
    throw new ElectionError(`invalid election "${e.name}":\n  ${problems.join("\n  ")}`);
  return e;
}
