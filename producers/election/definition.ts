import type { Election, ElectionRegion } from "../../schemas/generated/election.js";
import type { Candidate } from "../../schemas/records.js";

/** A candidate as the election declares them: the Candidate contract but for when they were registered. */
export type CandidateDefinition = Omit<Candidate, "registered_at">;

/** A region as its Election document declares it (schemas/election/election.schema.yaml). */
export type RegionDefinition = ElectionRegion;

/**
 * An election: who stands, for which party, where the voters live, how many of them turn out, and whom
 * each region prefers. Registration draws the electorate from it; the voting service draws each
 * voter's choice from it.
 */
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
