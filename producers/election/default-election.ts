import { validateElection, type ElectionDefinition } from "./definition.js";

const photo = (id: string): string => `https://assets.livetally.io/candidates/${id}.jpg`;

/**
 * The default election: four candidates over ten states, with the regional leanings a close race
 * needs. Shares roughly follow the states' populations, renormalised to the ten. The same election as
 * elections/general-2026.yaml, which default-election.test.ts holds it to.
 */
export const defaultElection: ElectionDefinition = validateElection({
  name: "general-2026",
  title: "General election 2026",
  electionDay: "2026-11-03",
  country: "United States",
  nationality: "US",
  candidates: [
    {
      candidate_id: "cand-harper",
      name: "Evelyn Harper",
      party: "Progress Party",
      biography: "Former mayor of Sacramento and civil-rights attorney.",
      platform: "Affordable housing, public transit, clean energy.",
      photo_url: photo("cand-harper"),
    },
    {
      candidate_id: "cand-whitfield",
      name: "James Whitfield",
      party: "Liberty Alliance",
      biography: "Rancher, two-term governor of Texas.",
      platform: "Lower taxes, small business, border security.",
      photo_url: photo("cand-whitfield"),
    },
    {
      candidate_id: "cand-okafor",
      name: "Amara Okafor",
      party: "Green Future",
      biography: "Climate scientist and founder of a watershed trust.",
      platform: "Carbon pricing, rivers and forests, rail.",
      photo_url: photo("cand-okafor"),
    },
    {
      candidate_id: "cand-delgado",
      name: "Marco Delgado",
      party: "Independent",
      biography: "Entrepreneur and former union negotiator.",
      platform: "Anti-corruption, wages, ranked-choice voting.",
      photo_url: photo("cand-delgado"),
    },
  ],
  regions: [
    region("California", "CA", 0.2, 0.62, [52, 30, 12, 6]),
    region("Texas", "TX", 0.15, 0.58, [34, 54, 4, 8]),
    region("Florida", "FL", 0.12, 0.64, [40, 48, 5, 7]),
    region("New York", "NY", 0.1, 0.6, [55, 30, 9, 6]),
    region("Pennsylvania", "PA", 0.08, 0.68, [45, 44, 4, 7]),
    region("Illinois", "IL", 0.07, 0.61, [51, 38, 6, 5]),
    region("Ohio", "OH", 0.07, 0.63, [41, 50, 3, 6]),
    region("Georgia", "GA", 0.07, 0.66, [46, 46, 3, 5]),
    region("Michigan", "MI", 0.07, 0.7, [47, 43, 4, 6]),
    region("Arizona", "AZ", 0.07, 0.67, [44, 45, 4, 7]),
  ],
});

function region(
  state: string,
  code: string,
  electorateShare: number,
  turnout: number,
  [harper, whitfield, okafor, delgado]: readonly number[],
): ElectionDefinition["regions"][number] {
  return {
    state,
    code,
    electorateShare,
    turnout,
    preferences: {
      "cand-harper": harper ?? 0,
      "cand-whitfield": whitfield ?? 0,
      "cand-okafor": okafor ?? 0,
      "cand-delgado": delgado ?? 0,
    },
  };
}
