import { topics, type TopicKey, type TopicSpec } from "../topics.js";

/**
 * Everything an election owns is named after it, so that elections share a Kafka cluster, a registry
 * and a database without meeting: its topics (and so its registry subjects, by Confluent's
 * TopicNameStrategy), its consumer groups, its PostgreSQL schema and its tally job. Removing an
 * election removes exactly these.
 */
export interface ElectionNames {
  /** The election's metadata.name. */
  readonly election: string;
  /** The topics of schemas/topics.ts, each named `<election>.<topic>`. */
  readonly topics: { readonly [K in TopicKey]: TopicSpec };
  /** The PostgreSQL schema holding the election's ledger and results. */
  readonly databaseSchema: string;
  readonly votingGroup: string;
  /** The Kafka consumer group of the tally job. */
  readonly tallyGroup: string;
  /** The tally job's name in Flink (`pipeline.name`). */
  readonly tallyJob: string;
}

/** The prefix of every election's PostgreSQL schema: what a dashboard lists elections by. */
export const DATABASE_SCHEMA_PREFIX = "election_";

/**
 * metadata.name is a DNS-1123 label (lower-case letters, digits, hyphens); PostgreSQL identifiers
 * unquoted take underscores instead, and the mapping is one to one since a label has no underscore.
 */
export function databaseSchema(election: string): string {
  return `${DATABASE_SCHEMA_PREFIX}${election.replaceAll("-", "_")}`;
}

/** The election a database schema belongs to; undefined for a schema that is no election's. */
export function electionOfSchema(schema: string): string | undefined {
  if (!schema.startsWith(DATABASE_SCHEMA_PREFIX)) return undefined;
  return schema.slice(DATABASE_SCHEMA_PREFIX.length).replaceAll("_", "-");
}

export function electionNames(election: string): ElectionNames {
  const own = {} as Record<TopicKey, TopicSpec>;
  for (const key of Object.keys(topics) as TopicKey[]) {
    own[key] = { ...topics[key], name: `${election}.${topics[key].name}` };
  }
  return {
    election,
    topics: own,
    databaseSchema: databaseSchema(election),
    votingGroup: `livetally-voting-${election}`,
    tallyGroup: `livetally-tallies-${election}`,
    tallyJob: `livetally-tallies-${election}`,
  };
}
