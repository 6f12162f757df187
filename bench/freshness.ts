/**
 * Freshness of the streamed tallies: for a vote committed at time t, the wait until its candidate's
 * tally row first showed a count that includes it. Votes of one candidate are taken in commit order:
 * the k-th vote is reflected once the tally reaches k.
 */
export interface TallyObservation {
  readonly at: number;
  readonly votes: number;
}

/** Observation times and counts per candidate, in time order, as a sampler saw them. */
export type TallyHistory = ReadonlyMap<string, readonly TallyObservation[]>;

/** Commit times (ms) per candidate, ascending. */
export type CommitTimes = ReadonlyMap<string, readonly number[]>;

/** Freshness in ms of every `every`-th vote (by commit order per candidate) that a tally reflected. */
export function freshnessSamples(commits: CommitTimes, history: TallyHistory, every = 1): number[] {
  const samples: number[] = [];
  for (const [candidate, times] of commits) {
    const seen = history.get(candidate) ?? [];
    let j = 0;
    for (let k = 0; k < times.length; k += every) {
      while (j < seen.length && (seen[j] as TallyObservation).votes < k + 1) j++;
      const observation = seen[j];
      if (observation === undefined) break;
      samples.push(Math.max(0, observation.at - (times[k] as number)));
    }
  }
  return samples;
}

/** The q-quantile (0..1) by the nearest-rank method. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}
