import type { Admin } from "kafkajs";
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

/**
 * Voters on the election's voters topic the voting service has not yet handled, as the broker sees
 * it. The service commits a voter's offset only once the vote is stored and produced, so 0 means
 * every voter on the topic has been through it. Undefined when the broker cannot say just now (a
 * retriable error, such as the group's coordinator loading or moving, or the topic not yet there).
 */
export async function votersPending(admin: Admin, names: ElectionNames): Promise<number | undefined> {
  const topic = names.topics.voters.name;
  try {
    const [ends, groups] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchOffsets({ groupId: names.votingGroup, topics: [topic] }),
    ]);
    return backlog(ends, groups.find((g) => g.topic === topic)?.partitions ?? []);
  } catch (e) {
    if ((e as { retriable?: boolean }).retriable === true) return undefined;
    throw e;
  }
}
