import avro from "avsc";
import type { Consumer, Kafka } from "kafkajs";
import { SchemaRegistryClient } from "../producers/runtime/registry.js";
import { pollUntil } from "../producers/runtime/waiting.js";
import { chaosNames } from "./election.js";
import { unframe } from "../schemas/wire.js";

/** A record value of an aggregated topic, decoded with the schema the tally job registered. */
export type AggregatedValue = Readonly<Record<string, unknown>>;

/** A tombstone for a key the reader had already seen a value of: a live state or candidate vanishing. */
export interface Tombstone {
  readonly topic: string;
  readonly key: string;
  readonly offset: string;
}

const { topics } = chaosNames;
const followed = [topics.votesPerCandidate.name, topics.turnoutByLocation.name] as const;

/**
 * A reader of both aggregated topics, from their first record on, as a downstream consumer of the
 * compacted topics would follow them: it keeps the latest value of every key and notes every tombstone
 * for a key it has seen.
 */
export class AggregatedTopicsReader {
  readonly tombstones: Tombstone[] = [];
  private readonly latest = new Map<string, Map<string, AggregatedValue>>(
    followed.map((t) => [t, new Map()]),
  );
  private readonly positions = new Map<string, bigint>();
  private readonly types = new Map<number, avro.Type>();

  private constructor(
    private readonly kafka: Kafka,
    private readonly consumer: Consumer,
    private readonly registry: SchemaRegistryClient,
  ) {}

  static async follow(kafka: Kafka, registryUrl: string): Promise<AggregatedTopicsReader> {
    const consumer = kafka.consumer({ groupId: `chaos-aggregated-${Date.now()}`, sessionTimeout: 10_000 });
    const reader = new AggregatedTopicsReader(kafka, consumer, new SchemaRegistryClient(registryUrl));
    await consumer.connect();
    await consumer.subscribe({ topics: [...followed], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const key = message.key?.toString() ?? "";
        const values = reader.latest.get(topic);
        if (values === undefined) return;
        if (message.value === null) {
          if (values.has(key)) reader.tombstones.push({ topic, key, offset: message.offset });
          values.delete(key);
        } else {
          values.set(key, await reader.decode(message.value));
        }
        reader.positions.set(`${topic}/${partition}`, BigInt(message.offset) + 1n);
      },
    });
    return reader;
  }

  private async decode(value: Buffer): Promise<AggregatedValue> {
    const framed = unframe(value);
    if (!framed.ok) throw new Error("an aggregated record is not in the registry's wire format");
    let type = this.types.get(framed.schemaId);
    if (type === undefined) {
      const schema = await this.registry.schemaById(framed.schemaId);
      if (schema === undefined)
        throw new Error(`schema ${framed.schemaId} of an aggregated record is unknown`);
      type = avro.Type.forSchema(JSON.parse(schema) as avro.Schema);
      this.types.set(framed.schemaId, type);
    }
    return type.fromBuffer(framed.body) as AggregatedValue;
  }

  /** Waits until the reader has read every record written to both topics so far. */
  async catchUp(timeoutMs = 60_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await Promise.all(
        followed.map(async (topic) => ({ topic, partitions: await admin.fetchTopicOffsets(topic) })),
      );
      await pollUntil(
        async () =>
          ends.every(({ topic, partitions }) =>
            partitions.every(
              (p) =>
                BigInt(p.high) === 0n ||
                (this.positions.get(`${topic}/${p.partition}`) ?? 0n) >= BigInt(p.high),
            ),
          )
            ? true
            : undefined,
        { timeoutMs, what: "the aggregated topics to be read to their end" },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** The latest value of every key of a topic. */
  values(topic: (typeof followed)[number]): ReadonlyMap<string, AggregatedValue> {
    return this.latest.get(topic) ?? new Map();
  }

  close(): Promise<void> {
    return this.consumer.disconnect();
  }
}

/** An Avro decimal as avsc reads it without a logical type: big-endian two's complement, unscaled. */
export function decimalValue(bytes: Buffer, scale: number): number {
  let unscaled = 0n;
  for (const byte of bytes) unscaled = (unscaled << 8n) | BigInt(byte);
  if (bytes.length > 0 && ((bytes[0] ?? 0) & 0x80) !== 0) unscaled -= 1n << BigInt(8 * bytes.length);
  return Number(unscaled) / 10 ** scale;
}
