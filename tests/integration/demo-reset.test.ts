import { afterAll, describe, expect, it } from "vitest";
import { removeElection, resetElection } from "../../local/election/reset.js";
import { electionNames } from "../../schemas/election/names.js";
import { kafka } from "./services-fixture.js";

const admin = kafka.admin();
const ELECTION = "reset-test";
const names = electionNames(ELECTION);
const own = Object.values(names.topics).map((t) => t.name);

afterAll(async () => {
  await removeElection(ELECTION);
  await admin.disconnect();
});

describe("election reset", () => {
  it("refuses while a service still consumes the election, naming the group, and keeps the topics", async () => {
    await resetElection(ELECTION);
    const consumer = kafka.consumer({ groupId: names.votingGroup, retry: { retries: 0 } });
    await consumer.connect();
    try {
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      await consumer.subscribe({ topic: names.topics.voters.name, fromBeginning: true });
      await consumer.run({ eachMessage: async () => undefined });
      await joined;

      await expect(resetElection(ELECTION)).rejects.toThrow(
        `cannot remove the election ${ELECTION} while a service still consumes it (${names.votingGroup}: `,
      );
      await admin.connect();
      const present = await admin.listTopics();
      expect(own.filter((t) => !present.includes(t))).toEqual([]);
    } finally {
      await consumer.disconnect();
    }
    await expect(resetElection(ELECTION)).resolves.toBeDefined();
  });
});
