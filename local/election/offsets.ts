import { Kafka, logLevel, type Admin } from "kafkajs";
import { endpoints } from "../endpoints.js";
import type { ElectionNames } from "../../schemas/election/names.js";
import { votersPending } from "../../producers/voting/progress.js";

/** An election's progress as the broker sees it, whatever the services' own metrics last said. */
export class ElectionOffsets {
  private constructor(
    private readonly admin: Admin,
    private readonly names: ElectionNames,
  ) {}

  static async open(names: ElectionNames): Promise<ElectionOffsets> {
    const admin = new Kafka({
      clientId: "election-backlog",
      brokers: [...endpoints().kafkaBrokers],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    return new ElectionOffsets(admin, names);
  }

  /**
   * Voters the voting service has not yet handled. It commits a voter's offset only once the vote is
   * stored and produced, so 0 means every registered voter has been through the service. Undefined
   * when the broker cannot say just now (a retriable error, such as the group's coordinator still
   * loading or moving): ask again.
   */
  /** Voters the voting service has not yet handled (producers/voting/progress.ts). */
  votersPending(): Promise<number | undefined> {
    return votersPending(this.admin, this.names);
  }

  /** Records in the dead-letter topic: each one a voter whose vote was not cast. */
  async deadLetters(): Promise<number> {
    const partitions = await this.admin.fetchTopicOffsets(this.names.topics.deadLetters.name);
    return partitions.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  }

  close(): Promise<void> {
    return this.admin.disconnect();
  }
}
