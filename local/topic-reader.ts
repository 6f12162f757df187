import type { Kafka } from "kafkajs";
import { pollUntil } from "../producers/runtime/waiting.js";

/** A record as read from a topic, with where it was. */
export interface TopicRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly partition: number;
  readonly offset: string;
}

/**
 * Every record of a topic from its first to the last one written when it is called, read by a consumer
 * group of its own that commits nothing anyone else reads. Fails after `timeoutMs`, saying how far it got.
 */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 60_000): Promise<TopicRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Set(ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => p.partition));
  const records: TopicRecord[] = [];
  if (remaining.size === 0) return records;
  const consumer = kafka.consumer({ groupId: `livetally-read-${topic}-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let failed: unknown;
    await consumer
      .run({
        eachBatch: async ({ batch }) => {
          const end = BigInt(ends.find((p) => p.partition === batch.partition)?.high ?? "0");
          for (const m of batch.messages) {
            if (BigInt(m.offset) >= end) break;
            records.push({ key: m.key, value: m.value, partition: batch.partition, offset: m.offset });
            if (BigInt(m.offset) + 1n >= end) remaining.delete(batch.partition);
          }
        },
      })
      .catch((e: unknown) => (failed = e));
    await pollUntil(
      async () => {
        if (failed !== undefined) throw failed;
        return remaining.size === 0 ? true : undefined;
      },
      { timeoutMs, intervalMs: 100, what: `every record of ${topic} (${records.length} read)` },
    );
  } finally {
    await consumer.disconnect();
  }
  return records;
}
