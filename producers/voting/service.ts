import type { Consumer, ConsumerConfig, EachBatchPayload, KafkaMessage, Producer } from "kafkajs";
import { deadLetterSchema, voteSchema, voterSchema } from "../../schemas/records.js";
import { VoterChoice } from "../election/choice.js";
import type { ElectionDefinition } from "../election/definition.js";
import type { ServiceConfig } from "../runtime/config.js";
import { openConnections, type Connections } from "../runtime/connections.js";
import type { Logger } from "../runtime/log.js";
import type { Metrics } from "../runtime/metrics.js";
import { preflight } from "../runtime/preflight.js";
import { producerConfig } from "../runtime/producer.js";
import { sleep } from "../runtime/waiting.js";
import { Casting } from "./casting.js";
import { deadLetterReasons, VoterDecoder } from "./decoder.js";
import { PartitionLanes } from "./lanes.js";
import { RateLimiter } from "./rate-limiter.js";

/** An idempotent kafkajs producer has one request in flight: several let partitions produce at once. */
export const PRODUCERS = 3;

/** Voters per store-produce-commit round when no rate limit asks for smaller ones. */
export const CHUNK_SIZE = 3_200;

/** Partitions are independent: several in flight keep PostgreSQL and Kafka busy at once. */
export const PARTITIONS_CONSUMED_CONCURRENTLY = 6;

/** The voting service's consumer; `make bench-voting` measures the Kafka floor with the same. */
export function votingConsumerConfig(groupId: string): ConsumerConfig {
  return {
    groupId,
    // Short enough that a killed instance's partitions move on within seconds of the restart.
    sessionTimeout: 10_000,
    heartbeatInterval: 3_000,
    allowAutoTopicCreation: false,
    // About one chunk per partition per fetch (a Voter record is about 350 bytes), two partitions a
    // fetch: the lanes keep the rest busy meanwhile, and 4 MiB fetches cost 20-30 MiB of peak RSS.
    maxBytesPerPartition: 1024 * 1024,
    maxBytes: 2 * 1024 * 1024,
  };
}

export interface VotingOptions {
  readonly config: ServiceConfig;
  readonly election: ElectionDefinition;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Voters processed per store-produce-commit round; smaller under a rate limit so pacing is smooth. */
  readonly chunkSize?: number;
}

/**
 * The voting service: consumes the voters topic, casts each voter's deterministic vote and commits the
 * offsets of a chunk only once its votes are both stored and produced. Stopping finishes the chunk in
 * hand and commits it.
 */
export class VotingService {
  private connections: Connections | undefined;
  private consumer: Consumer | undefined;
  private producers: Producer[] = [];
  private joined = false;
  private crashed = false;
  private stopping = false;
  /** A chunk is failing and being retried: alive, but not ready. */
  private failing = false;
  private readonly chunkSize: number;
  private readonly limiter: RateLimiter;
  private readonly lanes: PartitionLanes;

  constructor(private readonly options: VotingOptions) {
    const rate = options.config.election.spec.voting?.rateLimit ?? 0;
    this.limiter = new RateLimiter(rate);
    // Under a rate limit, about a quarter second of votes per chunk (votes are ~60 % of voters).
    const paced = rate > 0 ? Math.max(1, Math.ceil(rate / 2.5)) : Number.POSITIVE_INFINITY;
    this.chunkSize = Math.min(options.chunkSize ?? CHUNK_SIZE, paced);
    // Fetching runs at most about three chunks ahead of casting: enough to keep every engine busy.
    this.lanes = new PartitionLanes(this.chunkSize * 3);
    // Every reason at zero from the start, so dashboards show a flat line rather than no data.
    for (const reason of deadLetterReasons) options.metrics.deadLetters.inc({ reason }, 0);
  }

  /** Until the polls open no voter is read; the service is alive but not ready. SIGTERM ends the wait. */
  private async awaitOpening(opensAt: string | undefined): Promise<void> {
    if (opensAt === undefined) return;
    const { log } = this.options;
    const at = Date.parse(opensAt);
    if (Date.now() < at) log.info("waiting for the polls to open", { opensAt });
    while (Date.now() < at && !this.stopping) await sleep(Math.min(1_000, at - Date.now()));
  }

  live(): boolean {
    return !this.crashed;
  }

  ready(): boolean {
    return this.joined && !this.crashed && !this.stopping && !this.failing;
  }

  async start(): Promise<void> {
    const { config, log, metrics, election } = this.options;
    const { topics, votingGroup } = config.names;
    const seed = config.election.spec.electorate.seed;
    const window = config.election.spec.voting;
    // A PostgreSQL connection for each partition in flight.
    const connections = openConnections("livetally-voting", config, log, PARTITIONS_CONSUMED_CONCURRENTLY);
    this.connections = connections;
    const { pool, kafka, registry } = connections;
    const ids = await preflight(pool, kafka, registry, {
      topics: [topics.voters, topics.votes, topics.deadLetters],
      schemas: {
        voter: { topic: topics.voters, schema: voterSchema },
        vote: { topic: topics.votes, schema: voteSchema },
        deadLetter: { topic: topics.deadLetters, schema: deadLetterSchema },
      },
    });
    this.producers = Array.from({ length: PRODUCERS }, () => kafka.producer(producerConfig));
    await Promise.all(this.producers.map((p) => p.connect()));
    const casting = new Casting({
      pool,
      producers: this.producers,
      decoder: new VoterDecoder(registry),
      choice: new VoterChoice(election, seed),
      schemaIds: ids,
      topics: { votes: topics.votes.name, deadLetters: topics.deadLetters.name },
      ...(window?.closesAt ? { closesAt: Date.parse(window.closesAt) } : {}),
      limiter: this.limiter,
      metrics,
    });
    await casting.awaitBallot(() => log.info("waiting for the candidates to be registered"));
    await this.awaitOpening(window?.opensAt);
    if (this.stopping) return;

    const consumer = kafka.consumer(votingConsumerConfig(votingGroup));
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      log.info("joined the consumer group", { group: votingGroup });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      log.error("consumer crashed", { error: payload.error, restart: payload.restart });
      if (!payload.restart) this.crashed = true;
    });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.voters.name, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
      eachBatch: (payload) => this.eachBatch(payload, casting),
    });
    log.info("voting", {
      election: config.names.election,
      seed,
      rateLimit: config.election.spec.voting?.rateLimit ?? 0,
      chunkSize: this.chunkSize,
    });
  }

  /**
   * Hands a fetched batch to its partition's lane chunk by chunk and marks it consumed, so the next
   * fetch can start while earlier chunks are still being stored and produced. Offsets are committed by
   * the lane, after each chunk's votes are stored and produced.
   */
  private async eachBatch(payload: EachBatchPayload, casting: Casting): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    const abandon = (): boolean => this.stopping || !isRunning() || isStale();
    for (let i = 0; i < batch.messages.length; i += this.chunkSize) {
      const chunk = batch.messages.slice(i, i + this.chunkSize);
      const last = chunk[chunk.length - 1];
      if (last === undefined) break;
      await this.lanes.room(chunk.length, heartbeat, abandon);
      if (abandon()) break;
      const highWatermark = batch.highWatermark;
      this.lanes.push(`${batch.topic}/${batch.partition}`, chunk.length, () =>
        this.castAndCommit(casting, batch.topic, batch.partition, chunk, highWatermark),
      );
      resolveOffset(last.offset);
    }
    await heartbeat();
  }

  /**
   * Casts a chunk, retrying while PostgreSQL or Kafka fail (a retried chunk finds its stored votes and
   * re-emits them), then commits its offsets. Gives up only when the service stops: the chunk is then
   * left uncommitted and will be delivered again.
   */
  private async castAndCommit(
    casting: Casting,
    topic: string,
    partition: number,
    chunk: readonly KafkaMessage[],
    highWatermark: string,
  ): Promise<void> {
    const { metrics, log } = this.options;
    const last = chunk[chunk.length - 1];
    if (last === undefined || this.consumer === undefined) return;
    const timer = metrics.voteBatchDuration.startTimer();
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await casting.castChunk(topic, partition, chunk);
        log.debug("chunk cast", { partition, offset: last.offset, ...outcome });
        break;
      } catch (e) {
        if (this.stopping) throw e;
        this.failing = true;
        const delay = Math.min(30_000, 250 * 2 ** attempt);
        log.error("casting a chunk failed; retrying", {
          partition,
          offset: last.offset,
          attempt,
          delay,
          error: e,
        });
        await sleep(delay);
      }
    }
    this.failing = false;
    const next = (BigInt(last.offset) + 1n).toString();
    try {
      await this.consumer.commitOffsets([{ topic, partition, offset: next }]);
    } catch (e) {
      // Typically a rebalance took the partition away: its next owner redelivers the chunk and
      // re-emits the stored votes, so nothing is lost.
      log.warn("committing offsets failed; the chunk will be redelivered", {
        partition,
        offset: next,
        error: e,
      });
    }
    timer();
    metrics.consumerLag.set(
      { topic, partition: String(partition) },
      Math.max(0, Number(highWatermark) - Number(next)),
    );
  }

  /** Finishes the chunks in hand, commits them, and closes every connection. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    // Still a group member while draining, so the last commits are accepted.
    await this.lanes.drained();
    await this.consumer?.disconnect();
    await Promise.all(this.producers.map((p) => p.disconnect()));
    await this.connections?.pool.end();
  }
}
