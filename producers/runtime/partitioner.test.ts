import { randomBytes, randomUUID } from "node:crypto";
import { Partitioners, type PartitionMetadata } from "kafkajs";
import { describe, expect, it } from "vitest";
import { keyPartitioner, partitionOfKey } from "./partitioner.js";

const metadata = (n: number): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
    partitionErrorCode: 0,
  }));

describe("keyPartitioner", () => {
  const kafkajs = Partitioners.DefaultPartitioner();
  const ours = keyPartitioner();

  it("puts every key where kafkajs's DefaultPartitioner (the Java client's choice) puts it", () => {
    const keys: (string | Buffer)[] = [
      "",
      "a",
      "ab",
      "abc",
      "abcd",
      "Zoë Ångström",
      "選挙",
      ...Array.from({ length: 2_000 }, () => randomUUID()),
      ...Array.from({ length: 500 }, (_, i) => randomBytes(i % 37)),
    ];
    for (const partitions of [1, 3, 16, 31]) {
      for (const key of keys) {
        const message = { key, value: null };
        expect(ours({ topic: "voters", partitionMetadata: metadata(partitions), message })).toBe(
          kafkajs({ topic: "voters", partitionMetadata: metadata(partitions), message }),
        );
      }
    }
  });

  it("keeps a given partition and spreads keyless messages over the partitions", () => {
    expect(
      ours({ topic: "t", partitionMetadata: metadata(4), message: { key: "k", value: null, partition: 2 } }),
    ).toBe(2);
    const seen = new Set(
      Array.from({ length: 8 }, () =>
        ours({ topic: "t", partitionMetadata: metadata(4), message: { value: null } }),
      ),
    );
    expect(seen).toEqual(new Set([0, 1, 2, 3]));
    expect(partitionOfKey("voter", 1)).toBe(0);
  });
});
