import { Kafka, logLevel, type Admin } from "kafkajs";
import { endpoints } from "../endpoints.js";
import type { ElectionNames } from "../../schemas/election/names.js";

export interface PartitionOffsets {
  readonly partition: number;
  /** The next offset to be written (high watermark) or, for a group, the next to be read. */
  readonly offset: string;
}

/**
 * Records the group has yet to commit: per partition, the end offset minus the committed one. A
 * partition the group never committed counts from its first retained record.
 */
export function backlog(
  ends: readonly (PartitionOffsets & { readonly low: string })[],
  committed: readonly PartitionOffsets[],
): number {
  const done = new Map(committed.map((c) => [c.partition, Number(c.offset)]));
  return ends.reduce((sum, end) => {
    const read = done.get(end.partition) ?? -1;
    const from = read < 0 ? Number(end.low) : read;
    return sum + Math.max(0, Number(end.offset) - from);
  }, 0);
}

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
  async votersPending(): Promise<number | undefined> {
    const topic = this.names.topics.voters.name;
    const groupId = this.names.votingGroup;
    try {
      const [ends, groups] = await Promise.all([
        this.admin.fetchTopicOffsets(topic),
        this.admin.fetchOffsets({ groupId, topics: [topic] }),
      ]);
      return backlog(ends, groups.find((g) => g.topic === topic)?.partitions ?? []);
    } catch (e) {
      if ((e as { retriable?: boolean }).retriable === true) return undefined;
      throw e;
    }
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
