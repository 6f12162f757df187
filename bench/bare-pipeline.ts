import type { Kafka, Message } from "kafkajs";
import type { Vote } from "../schemas/records.js";
import type { ElectionNames } from "../schemas/election/names.js";
import { producerConfig } from "../producers/runtime/producer.js";
import { ProgressBar } from "../producers/runtime/progress-bar.js";
import { sendVotes } from "../producers/voting/casting.js";
import {
  CHUNK_SIZE,
  PARTITIONS_CONSUMED_CONCURRENTLY,
  PRODUCERS,
  votingConsumerConfig,
} from "../producers/voting/service.js";

/** A vote and its message as the voting service produces it. */
export interface EncodedVote {
  readonly vote: Vote;
  readonly message: Message;
}

/**
 * The voting service's pipeline with none of the service's own work, in votes per second: its
 * consumer, producers and settings read the whole voters topic and send the given votes (encoded
 * beforehand, keyed by voter id) to a scratch topic, chunk by chunk, committing offsets after each
 * chunk. `store`, when given, stores each chunk's votes before they are sent, as the service does.
 * There is no decoding, no choice and no encoding: what is left is the work of the clients and the
 * engines, which bounds what the service can do with the same clients on the same machine.
 */
export async function barePipeline(
  label: string,
  kafka: Kafka,
  names: ElectionNames,
  votes: ReadonlyMap<string, EncodedVote>,
  store?: (votes: readonly Vote[]) => Promise<unknown>,
): Promise<number> {
  const scratch = `bench-voting-bare-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: scratch, numPartitions: names.topics.votes.partitions }],
    waitForLeaders: true,
  });
  const producers = Array.from({ length: PRODUCERS }, () => kafka.producer(producerConfig));
  await Promise.all(producers.map((p) => p.connect()));
  const consumer = kafka.consumer(votingConsumerConfig(scratch));
  const bar = new ProgressBar(label, votes.size, "votes");
  let sent = 0;
  let started: number | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: names.topics.voters.name, fromBeginning: true });
    const finished = new Promise<number>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
          eachBatch: async ({ batch }) => {
            started ??= performance.now();
            const producer = producers[batch.partition % producers.length];
            if (producer === undefined) return;
            for (let i = 0; i < batch.messages.length; i += CHUNK_SIZE) {
              const chunk = batch.messages.slice(i, i + CHUNK_SIZE);
              const chosen: EncodedVote[] = [];
              for (const m of chunk) {
                const vote = m.key === null ? undefined : votes.get(m.key.toString());
                if (vote !== undefined) chosen.push(vote);
              }
              if (store !== undefined) await store(chosen.map((c) => c.vote));
              await sendVotes(
                producer,
                { votes: scratch, deadLetters: names.topics.deadLetters.name },
                chosen.map((c) => c.message),
              );
              const last = chunk[chunk.length - 1];
              if (last !== undefined)
                await consumer.commitOffsets([
                  {
                    topic: batch.topic,
                    partition: batch.partition,
                    offset: (BigInt(last.offset) + 1n).toString(),
                  },
                ]);
              sent += chosen.length;
              bar.update(sent);
              if (sent >= votes.size) resolve((performance.now() - (started ?? 0)) / 1000);
            }
          },
        })
        .catch(reject);
    });
    const seconds = await finished;
    bar.done();
    return votes.size / seconds;
  } finally {
    await consumer.disconnect();
    await Promise.all(producers.map((p) => p.disconnect()));
    // A consumer that failed before joining left no group to delete.
    await admin.deleteGroups([scratch]).catch(() => undefined);
    await admin.deleteTopics({ topics: [scratch] });
    await admin.disconnect();
  }
}
