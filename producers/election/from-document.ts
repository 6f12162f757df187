import type { Election } from "../../schemas/generated/election.js";
import type { ElectionDefinition } from "./definition.js";

/**
 * What registration and voting draw from: the Election document's spec in the shape of the records
 * they write (snake_case candidate fields, as the Candidate contract has them).
 */
export function electionDefinition(election: Election): ElectionDefinition {
  const { spec } = election;
  return {
    name: spec.title,
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
    regions: spec.regions.map((r) => ({
      state: r.state,
      code: r.code,
      electorateShare: r.electorateShare,
      turnout: r.turnout,
      preferences: r.preferences,
    })),
  };
}
