/**
 * The Kafka topics of livetally, defined once: the setup command creates them, the cdk8s app declares
 * them as KafkaTopics, and the Flink SQL job reads and writes them by these names.
 */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Kafka topic configs, as strings exactly as Kafka takes them. */
  readonly config: Readonly<Record<string, string>>;
  readonly purpose: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const topics = {
  voters: {
    name: "voters",
    partitions: 6,
    // Keyed by voter id: compaction keeps each voter's registration for as long as the topic lives.
    config: { "cleanup.policy": "compact", "min.insync.replicas": "1" },
    purpose: "the electoral register, one Voter per voter id",
  },
  candidates: {
    name: "candidates",
    partitions: 1,
    config: { "cleanup.policy": "compact", "min.insync.replicas": "1" },
    purpose: "the candidates on the ballot, one Candidate per candidate id",
  },
  votes: {
    name: "votes",
    partitions: 6,
    // The ledger of record is PostgreSQL; the topic keeps votes long enough to replay an election.
    config: { "cleanup.policy": "delete", "retention.ms": String(30 * DAY_MS), "min.insync.replicas": "1" },
    purpose: "cast votes, keyed by voter id",
  },
  deadLetters: {
    name: "dead_letters",
    partitions: 1,
    config: { "cleanup.policy": "delete", "retention.ms": String(14 * DAY_MS), "min.insync.replicas": "1" },
    purpose: "records a service could not process, with the reason",
  },
  votesPerCandidate: {
    name: "aggregated_votes_per_candidate",
    partitions: 1,
    config: { "cleanup.policy": "compact", "min.insync.replicas": "1" },
    purpose: "the live tally per candidate (upsert, keyed by candidate id)",
  },
  turnoutByLocation: {
    name: "aggregated_turnout_by_location",
    partitions: 1,
    config: { "cleanup.policy": "compact", "min.insync.replicas": "1" },
    purpose: "the live turnout per state (upsert, keyed by state)",
  },
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof topics;

/** Every topic, for the setup command and the manifests. */
export const allTopics: readonly TopicSpec[] = Object.values(topics);

/** The registry subject of a topic's values (Confluent's TopicNameStrategy). */
export function valueSubject(topic: TopicSpec): string {
  return `${topic.name}-value`;
}
