import type { KafkaMessage } from "kafkajs";
import type { Vote } from "../../schemas/records.js";
import type { DeadLetterReason } from "./decoder.js";

/** A voter's ballot for a registered candidate: the vote it casts unless the voter has one already. */
export interface Ballot {
  readonly message: KafkaMessage;
  readonly vote: Vote;
}

/** A message that could not become a vote, with where it came from. */
export interface Rejection {
  readonly message: KafkaMessage;
  readonly reason: DeadLetterReason;
  readonly detail: string;
}

/** A chunk's messages decoded and decided, before the votes table has been asked. */
export interface MarkedChunk {
  readonly ballots: readonly Ballot[];
  readonly rejections: readonly Rejection[];
  readonly abstained: number;
}

export interface ChunkOutcome {
  readonly cast: number;
  readonly reemitted: number;
  readonly abstained: number;
  readonly deadLetters: number;
}

/** What a chunk produces: its votes in ballot order, its dead letters, and the counts of both. */
export interface ClassifiedChunk {
  readonly votes: readonly Vote[];
  readonly rejections: readonly Rejection[];
  readonly outcome: ChunkOutcome;
}

/**
 * Sorts a chunk's ballots by what the votes table made of them: a voter the insert reported new casts
 * the ballot's vote, a voter with a stored vote has that vote produced again unchanged, and a voter with
 * neither is not in the register. The rejections found while marking come first among the dead letters.
 * Once the polls have closed nothing is inserted, and a voter with no stored vote has not voted: an
 * abstention, not a rejection.
 */
export function classifyChunk(
  chunk: MarkedChunk,
  inserted: ReadonlySet<string>,
  stored: ReadonlyMap<string, Vote>,
  pollsClosed = false,
): ClassifiedChunk {
  const votes: Vote[] = [];
  const rejections: Rejection[] = [...chunk.rejections];
  let cast = 0;
  let reemitted = 0;
  let abstained = chunk.abstained;
  // A voter delivered twice in one chunk is inserted once: the first is cast, the rest re-emitted.
  const castNow = new Map<string, Vote>();
  for (const { message, vote } of chunk.ballots) {
    const first = castNow.get(vote.voter_id);
    if (first !== undefined) {
      votes.push(first);
      reemitted++;
      continue;
    }
    if (inserted.has(vote.voter_id)) {
      castNow.set(vote.voter_id, vote);
      votes.push(vote);
      cast++;
      continue;
    }
    const earlier = stored.get(vote.voter_id);
    if (earlier !== undefined) {
      votes.push(earlier);
      reemitted++;
    } else if (pollsClosed) {
      abstained++;
    } else {
      rejections.push({
        message,
        reason: "unknown-voter",
        detail: `voter ${vote.voter_id} is not in the register`,
      });
    }
  }
  return {
    votes,
    rejections,
    outcome: { cast, reemitted, abstained, deadLetters: rejections.length },
  };
}
