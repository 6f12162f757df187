import { Construct } from "constructs";
import {
  KafkaUser,
  KafkaUserSpecAuthenticationType,
  KafkaUserSpecAuthorizationAclsOperations as Op,
  KafkaUserSpecAuthorizationAclsResourcePatternType as Pattern,
  KafkaUserSpecAuthorizationAclsResourceType as Resource,
  KafkaUserSpecAuthorizationType,
  type KafkaUserSpecAuthorizationAcls,
} from "../imports/kafka.strimzi.io.js";
import { topics } from "../../schemas/topics.js";
import { kafka, kafkaUsers, type KafkaUserKey } from "../names.js";
import { meta } from "./meta.js";

/** What each principal may do, and nothing more: the topics it reads and writes, its groups. */
export interface Grant {
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  /** Consumer group id prefix. */
  readonly groupPrefix?: string;
}

export const grants: Readonly<Record<KafkaUserKey, Grant>> = {
  registration: {
    reads: [],
    writes: [topics.voters.name, topics.candidates.name],
  },
  // The voting service consumes the register and writes votes, and what it cannot decode, as dead letters.
  voting: {
    reads: [topics.voters.name],
    writes: [topics.votes.name, topics.deadLetters.name],
    groupPrefix: "livetally-voting",
  },
  flink: {
    reads: [topics.voters.name, topics.candidates.name, topics.votes.name],
    writes: [topics.votesPerCandidate.name, topics.turnoutByLocation.name],
    // The SQL job's Kafka sources use the group id `livetally-tallies` (flink-sql/sql/10-sources.sql).
    groupPrefix: "livetally-tallies",
  },
};

/** A SCRAM-SHA-512 KafkaUser per workload; Strimzi writes its password into a Secret of the same name. */
export class KafkaUsers extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const [key, grant] of Object.entries(grants) as [KafkaUserKey, Grant][]) {
      new KafkaUser(this, key, {
        metadata: meta(kafkaUsers[key], "kafka", { "strimzi.io/cluster": kafka.cluster }),
        spec: {
          authentication: { type: KafkaUserSpecAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512 },
          authorization: { type: KafkaUserSpecAuthorizationType.SIMPLE, acls: acls(grant) },
        },
      });
    }
  }
}

function acls(grant: Grant): KafkaUserSpecAuthorizationAcls[] {
  const topic = (name: string, operations: Op[]): KafkaUserSpecAuthorizationAcls => ({
    resource: { type: Resource.TOPIC, name, patternType: Pattern.LITERAL },
    operations,
  });
  const prefixed = (type: Resource, name: string, operations: Op[]): KafkaUserSpecAuthorizationAcls => ({
    resource: { type, name, patternType: Pattern.PREFIX },
    operations,
  });
  return [
    ...grant.reads.map((t) => topic(t, [Op.READ, Op.DESCRIBE])),
    ...grant.writes.map((t) => topic(t, [Op.WRITE, Op.DESCRIBE])),
    ...(grant.groupPrefix ? [prefixed(Resource.GROUP, grant.groupPrefix, [Op.READ, Op.DESCRIBE])] : []),
  ];
}
