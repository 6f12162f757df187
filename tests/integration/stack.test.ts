import { randomUUID } from "node:crypto";
import { SchemaRegistry, SchemaType } from "@kafkajs/confluent-schema-registry";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpoints } from "../../local/endpoints.js";

const ep = endpoints();
const kafka = new Kafka({ clientId: "stack-test", brokers: [...ep.kafkaBrokers], logLevel: logLevel.WARN });
const registry = new SchemaRegistry({ host: ep.registryUrl });

const ballotV1 = {
  type: "record",
  name: "Ballot",
  namespace: "io.livetally.test",
  fields: [
    { name: "ballot_id", type: "string" },
    { name: "cast_at", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "weight", type: "int" },
  ],
};

describe("Kafka and the schema registry", () => {
  const admin = kafka.admin();
  const topic = `stack-test-${randomUUID()}`;

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it("round-trips an Avro record registered through the Confluent API", async () => {
    const subject = `${topic}-value`;
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(ballotV1) },
      { subject },
    );
    expect(id).toBeGreaterThan(0);

    const sent = { ballot_id: randomUUID(), cast_at: Date.parse("2026-11-03T18:00:00.123Z"), weight: 7 };
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({
      topic,
      messages: [{ key: sent.ballot_id, value: await registry.encode(id, sent) }],
    });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: `stack-test-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ key: string; value: unknown; schemaId: number }>(
      (resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message }) => {
              if (!message.value) return;
              // Confluent wire format: magic byte 0, then the schema id as a big-endian int.
              resolve({
                key: message.key?.toString() ?? "",
                value: await registry.decode(message.value),
                schemaId: message.value.readInt32BE(1),
              });
            },
          })
          .catch(reject);
      },
    );
    await consumer.disconnect();

    expect(received.key).toBe(sent.ballot_id);
    expect(received.schemaId).toBe(id);
    expect(received.value).toEqual(sent);
  });

  it("rejects an incompatible change under BACKWARD compatibility, and accepts a compatible one", async () => {
    const subject = `compat-${randomUUID()}-value`;
    await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(ballotV1) }, { subject });
    const config = await fetch(`${ep.registryUrl}/config/${subject}`);
    expect(((await config.json()) as { compatibilityLevel: string }).compatibilityLevel).toBe("BACKWARD");

    // A new field with a default can read old records: allowed.
    const withDefault = {
      ...ballotV1,
      fields: [...ballotV1.fields, { name: "region", type: "string", default: "unknown" }],
    };
    const v2 = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(withDefault) },
      { subject },
    );
    expect(v2.id).toBeGreaterThan(0);

    // A new field without a default cannot read old records: the registry must refuse it.
    const withoutDefault = {
      ...ballotV1,
      fields: [...withDefault.fields, { name: "precinct", type: "string" }],
    };
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(withoutDefault) }, { subject }),
    ).rejects.toThrow(/incompatible|409/i);
  });
});

describe("PostgreSQL", () => {
  it("answers a query through pg", async () => {
    const client = new pg.Client({ connectionString: ep.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; answer: number }>(
        "SELECT current_database() AS db, 6 * 7 AS answer",
      );
      expect(rows).toEqual([{ db: "livetally", answer: 42 }]);
    } finally {
      await client.end();
    }
  });
});

describe("Flink", () => {
  it("reports a running session cluster with free task slots", async () => {
    const overview = (await (await fetch(`${ep.flinkRestUrl}/overview`)).json()) as Record<
      string,
      number | string
    >;
    expect(overview["taskmanagers"]).toBeGreaterThanOrEqual(1);
    expect(Number(overview["slots-total"])).toBeGreaterThanOrEqual(1);
  });
});
