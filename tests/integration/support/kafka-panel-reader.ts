import type { SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import type { Admin, Kafka } from "kafkajs";
import type { JsonTarget } from "../../../dashboards/model.js";
import type { Row } from "../../../dashboards/transformations.js";
import { pollUntil } from "../../../producers/runtime/waiting.js";
import { unframe } from "../../../schemas/wire.js";

/**
 * A topic read as the Kafka data source plugin (the release pinned in versions.env) reads it for a
 * panel's query, each of its rows as the plugin puts it in the panel's frame:
 * - the partitions the query names ("all": every one), each from the offset its mode gives (earliest:
 *   the first; latest: the end, so only records written after the read begins; lastN: lastN offsets
 *   before the end, never before the first), read committed, as its kafka-go reader does;
 * - a value in the registry's wire format decoded with the latest schema of the subject `<topic>-value`
 *   (the plugin looks a schema up by subject, not by the id in the record), so every record is checked
 *   to carry that very schema's id, then decoded through @kafkajs/confluent-schema-registry;
 * - the row: the record's time and offset (its partition when the topic has several) and the value's
 *   fields, nested ones flattened with dots; no key fields (keyFormat none).
 * Records are read up to each partition's end as it was when the read began.
 */
export async function readAsPanel(
  kafka: Kafka,
  registry: SchemaRegistry,
  query: JsonTarget,
  topic: string,
): Promise<Row[]> {
  if (query.messageFormat !== "avro" || query.avroSchemaSource !== "schemaRegistry")
    throw new Error(
      `only Avro through the registry is read as the plugin does, not ${JSON.stringify(query)}`,
    );
  if ((query.keyFormat ?? "none") !== "none")
    throw new Error(`keyFormat ${String(query.keyFormat)} is not modelled`);

  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const partitions = offsets.filter((p) => query.partition === "all" || p.partition === query.partition);
  if (partitions.length === 0) throw new Error(`${topic} has no partition ${String(query.partition)}`);
  const ranges = partitions.map((p) => ({
    partition: p.partition,
    start: startOffset(query, BigInt(p.low), BigInt(p.high)),
    end: BigInt(p.high),
  }));

  const subject = `${topic}-value`;
  const latestSchema = await registry.getLatestSchemaId(subject);
  const read = new Map<number, Row[]>(ranges.map((r) => [r.partition, []]));
  const pending = ranges.filter((r) => r.start < r.end);
  if (pending.length > 0) {
    const groupId = `kafka-panel-reader-${topic}-${Date.now()}`;
    const consumer = kafka.consumer({ groupId, readUncommitted: false });
    await consumer.connect();
    let failed: unknown;
    try {
      await consumer.subscribe({ topic });
      await consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const range = ranges.find((r) => r.partition === partition);
            const offset = BigInt(message.offset);
            if (!range || offset < range.start || offset >= range.end) return;
            const rows = read.get(partition) ?? [];
            rows.push({
              time: Number(message.timestamp),
              offset: Number(offset),
              ...(offsets.length > 1 ? { partition } : {}),
              ...(message.value ? flatten(await decode(registry, message.value, latestSchema, subject)) : {}),
            });
            read.set(partition, rows);
          },
        })
        .catch((e: unknown) => (failed = e));
      for (const r of pending) consumer.seek({ topic, partition: r.partition, offset: String(r.start) });
      await pollUntil(
        async () => {
          if (failed !== undefined) throw failed;
          const done = pending.every((r) => {
            const last = read.get(r.partition)?.at(-1)?.offset;
            return typeof last === "number" && BigInt(last) + 1n >= r.end;
          });
          return done ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 100, what: `${topic} read to its end as the panel reads it` },
      );
    } finally {
      await consumer.disconnect();
      await deleteGroup(kafka, groupId);
    }
  }
  return ranges.flatMap((r) => read.get(r.partition) ?? []);
}

function startOffset(query: JsonTarget, low: bigint, high: bigint): bigint {
  switch (query.autoOffsetReset) {
    case "earliest":
      return low;
    case "latest":
      return high;
    case "lastN": {
      const n = BigInt(query.lastN as number);
      return high - n < low ? low : high - n;
    }
    default:
      throw new Error(`offset mode ${String(query.autoOffsetReset)} is not modelled`);
  }
}

async function decode(
  registry: SchemaRegistry,
  value: Buffer,
  latestSchema: number,
  subject: string,
): Promise<Record<string, unknown>> {
  const framed = unframe(value);
  if (!framed.ok) throw new Error(`a record of ${subject} is not in the registry's wire format`);
  if (framed.schemaId !== latestSchema)
    throw new Error(
      `a record of ${subject} has schema ${framed.schemaId}, the plugin would decode it with the latest, ${latestSchema}`,
    );
  return (await registry.decode(value)) as Record<string, unknown>;
}

/** Nested records flattened with dots, as the plugin's FlattenJSON does. */
function flatten(value: Record<string, unknown>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object" && !Buffer.isBuffer(v) && !Array.isArray(v))
      Object.assign(out, flatten(v as Record<string, unknown>, key));
    else out[key] = v;
  }
  return out;
}

async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteGroups([groupId]);
  } finally {
    await admin.disconnect();
  }
}
