import type { KafkaMessage, Message, Producer } from "kafkajs";
import type pg from "pg";
import { ageBandAt, avroTypes, type DeadLetter } from "../../schemas/records.js";
import { frameRecord } from "../../schemas/wire.js";
import type { VoterChoice } from "../election/choice.js";
import type { Metrics } from "../runtime/metrics.js";
import { sleep } from "../runtime/waiting.js";
import { castVotes, registeredCandidates, storedVotes } from "./ballot-box.js";
import {
  classifyChunk,
  type Ballot,
  type ChunkOutcome,
  type ClassifiedChunk,
  type MarkedChunk,
  type Rejection,
} from "./chunk-outcome.js";
import type { VoterDecoder } from "./decoder.js";
import type { RateLimiter } from "./rate-limiter.js";

/** Votes per produce request; see sendVotes(). */
const SEND_SLICE = 1000;

export interface CastingSchemaIds {
  readonly vote: number;
  readonly deadLetter: number;
}

export interface CastingOptions {
  readonly pool: pg.Pool;
  /** Producers by consumed partition: one partition's votes always go through the same producer. */
  readonly producers: readonly Producer[];
  readonly decoder: VoterDecoder;
  readonly choice: VoterChoice;
  readonly schemaIds: CastingSchemaIds;
  /** The election's topics the votes and the dead letters go to. */
  readonly topics: { readonly votes: string; readonly deadLetters: string };
  readonly limiter: RateLimiter;
  readonly metrics: Metrics;
  /** The service a dead letter names; "voting" unless told. */
  readonly service?: string;
  /** When the polls close (ms since the epoch): no vote is cast from then on. Never, unless told. */
  readonly closesAt?: number;
}

/**
 * Turns a chunk of consumed voter records into votes: decode, decide, store, produce. The votes table
 * is written first and the topic second; the caller commits offsets only after both, so a crash at any
 * point is repaired by redelivery, where the stored vote is found and produced again unchanged.
 */
export class Casting {
  private candidates: Map<string, string> = new Map();
  private candidatesLoadedAt = 0;

  constructor(private readonly options: CastingOptions) {}

  async loadCandidates(): Promise<void> {
    this.candidates = await registeredCandidates(this.options.pool);
    this.candidatesLoadedAt = Date.now();
  }

  /**
   * Waits until the ballot has candidates. Voting that opened before registration had written them
   * would send every voter to the dead letters as choosing an unknown candidate.
   */
  async awaitBallot(onWaiting: () => void, pollMs = 1_000): Promise<void> {
    await this.loadCandidates();
    if (this.candidates.size > 0) return;
    onWaiting();
    while (this.candidates.size === 0) {
      await sleep(pollMs);
      await this.loadCandidates();
    }
  }

  async castChunk(
    topic: string,
    partition: number,
    messages: readonly KafkaMessage[],
  ): Promise<ChunkOutcome> {
    const castAt = Date.now();
    const marked = await this.markBallots(messages, castAt);
    const pollsClosed = castAt >= (this.options.closesAt ?? Number.POSITIVE_INFINITY);
    let chunk: ClassifiedChunk;
    if (pollsClosed) {
      // A voter whose vote was stored before the close may not have had it produced: it still is.
      const voters = marked.ballots.map((b) => b.vote.voter_id);
      chunk = classifyChunk(marked, new Set(), await storedVotes(this.options.pool, voters), true);
    } else {
      await this.options.limiter.acquire(marked.ballots.length);
      const { inserted, stored } = await castVotes(
        this.options.pool,
        marked.ballots.map((b) => b.vote),
      );
      chunk = classifyChunk(marked, inserted, stored);
    }
    await this.produce(chunk, topic, partition);
    const { metrics } = this.options;
    metrics.votesCast.inc(chunk.outcome.cast);
    metrics.votesReemitted.inc(chunk.outcome.reemitted);
    for (const r of chunk.rejections) metrics.deadLetters.inc({ reason: r.reason });
    return chunk.outcome;
  }

  /** Decodes each voter and decides their vote: a ballot, an abstention or a rejection. */
  private async markBallots(messages: readonly KafkaMessage[], castAt: number): Promise<MarkedChunk> {
    const rejections: Rejection[] = [];
    const ballots: Ballot[] = [];
    let abstained = 0;
    for (const message of messages) {
      const decoded = await this.options.decoder.decode(message.key, message.value);
      if (!decoded.ok) {
        rejections.push({ message, reason: decoded.reason, detail: decoded.detail });
        continue;
      }
      const voter = decoded.voter;
      const choice = this.options.choice.choose(voter.voter_id, voter.address.state);
      if (!choice.votes) {
        abstained++;
        continue;
      }
      const party = await this.partyOf(choice.candidateId);
      if (party === undefined) {
        rejections.push({
          message,
          reason: "unknown-candidate",
          detail: `candidate ${choice.candidateId} of the election is not registered`,
        });
        continue;
      }
      ballots.push({
        message,
        vote: {
          vote_id: choice.voteId,
          voter_id: voter.voter_id,
          candidate_id: choice.candidateId,
          party,
          state: voter.address.state,
          gender: voter.gender,
          age_band: ageBandAt(voter.date_of_birth, castAt),
          cast_at: castAt,
        },
      });
    }
    return { ballots, rejections, abstained };
  }

  private async produce(
    { votes, rejections }: ClassifiedChunk,
    topic: string,
    partition: number,
  ): Promise<void> {
    const producer = this.options.producers[partition % this.options.producers.length];
    if (producer === undefined) return;
    const failedAt = Date.now();
    const deadLetters: Message[] = rejections.map((r) => {
      const letter: DeadLetter = {
        service: this.options.service ?? "voting",
        topic,
        partition,
        offset: Number(r.message.offset),
        original_key: r.message.key,
        original_value: r.message.value,
        error: r.reason,
        detail: r.detail,
        failed_at: failedAt,
      };
      return {
        key: r.message.key,
        value: frameRecord(this.options.schemaIds.deadLetter, avroTypes.deadLetter, letter),
      };
    });
    await sendVotes(
      producer,
      this.options.topics,
      votes.map((v) => ({
        key: v.voter_id,
        value: frameRecord(this.options.schemaIds.vote, avroTypes.vote, v),
      })),
      deadLetters,
    );
  }

  /** A candidate's party; a candidate missing from the register is looked up again at most every 5 s. */
  private async partyOf(candidateId: string): Promise<string | undefined> {
    const party = this.candidates.get(candidateId);
    if (party !== undefined || Date.now() - this.candidatesLoadedAt < 5_000) return party;
    await this.loadCandidates();
    return this.candidates.get(candidateId);
  }
}

/**
 * Produces vote messages to a topic, the dead letters with the first request.
 *
 * kafkajs groups a send's messages per partition in time quadratic in their number (it copies the
 * partition's array for each message), and one chunk's votes share a partition: slices keep that cost,
 * and the garbage it makes, small.
 */
export async function sendVotes(
  producer: Producer,
  to: { readonly votes: string; readonly deadLetters: string },
  votes: readonly Message[],
  deadLetters: readonly Message[] = [],
): Promise<void> {
  for (let i = 0; i === 0 || i < votes.length; i += SEND_SLICE) {
    const topicMessages: { topic: string; messages: Message[] }[] = [];
    const slice = votes.slice(i, i + SEND_SLICE);
    if (slice.length > 0) topicMessages.push({ topic: to.votes, messages: slice });
    if (i === 0 && deadLetters.length > 0)
      topicMessages.push({ topic: to.deadLetters, messages: [...deadLetters] });
    if (topicMessages.length > 0) await producer.sendBatch({ acks: -1, topicMessages });
  }
}
