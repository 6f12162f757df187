import { afterAll, describe, expect, it } from "vitest";
import { resetElection } from "../../local/election/reset.js";
import { allTopics, topics } from "../../schemas/topics.js";
import { kafka } from "./services-fixture.js";

const admin = kafka.admin();

afterAll(async () => {
  await admin.disconnect();
});

describe("election reset", () => {
  it("refuses while a service still consumes the election, naming the group, and keeps the topics", async () => {
    await resetElection();
    const consumer = kafka.consumer({ groupId: "livetally-voting", retry: { retries: 0 } });
    await consumer.connect();
    try {
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.subscribe({ topic: topics.voters.name, fromBeginning: true });
      await consumer.run({ eachMessage: async () => undefined });
      await joined;

      await expect(resetElection()).rejects.toThrow(
        /cannot reset the election while a service still consumes it \(livetally-voting: /,
      );
      await admin.connect();
      const names = await admin.listTopics();
      expect(allTopics.map((t) => t.name).filter((t) => !names.includes(t))).toEqual([]);
    } finally {
      await consumer.disconnect();
    }
    await expect(resetElection()).resolves.toBeDefined();
  });
});
