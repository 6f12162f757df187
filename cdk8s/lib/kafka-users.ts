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
import { electionNames, type ElectionNames } from "../../schemas/election/names.js";
import { grafana, kafka, labels, type KafkaUserKey } from "../names.js";
import { meta } from "./meta.js";

/** What each principal may do, and nothing more: the topics it reads and writes, its group. */
export interface Grant {
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  /** Consumer group id, literal: a prefix would also match the groups of an election named `<name>-…`. */
  readonly group?: string;
}

/** The grants of one election's principals: its own topics and groups, no other election's. */
export function grants(names: ElectionNames): Readonly<Record<KafkaUserKey, Grant>> {
  const t = names.topics;
  return {
    registration: { reads: [], writes: [t.voters.name, t.candidates.name] },
    // The voting service consumes the register and writes votes, and what it cannot decode, as dead letters.
    voting: {
      reads: [t.voters.name],
      writes: [t.votes.name, t.deadLetters.name],
      group: names.votingGroup,
    },
    // The SQL job's Kafka sources use TALLY_GROUP (flink-sql/sql/10-sources.sql).
    flink: {
      reads: [t.voters.name, t.candidates.name, t.votes.name],
      writes: [t.votesPerCandidate.name, t.turnoutByLocation.name],
      group: names.tallyGroup,
    },
  };
}

/**
 * What Grafana may do with one election's topics: read the two aggregated ones, which its live panels
 * stream. No group: the plugin reads each partition from an offset of its own and commits nothing.
 */
function grafanaGrant(names: ElectionNames): Grant {
  const t = names.topics;
  return { reads: [t.votesPerCandidate.name, t.turnoutByLocation.name], writes: [] };
}

export interface KafkaUsersProps {
  readonly names: ElectionNames;
  /** The KafkaUser of each principal. */
  readonly users: Readonly<Record<KafkaUserKey, string>>;
}

/**
 * A SCRAM-SHA-512 KafkaUser per workload of one election; Strimzi writes its password into a Secret
 * of the same name.
 */
export class KafkaUsers extends Construct {
  constructor(scope: Construct, id: string, props: KafkaUsersProps) {
    super(scope, id);
    for (const [key, grant] of Object.entries(grants(props.names)) as [KafkaUserKey, Grant][]) {
      new KafkaUser(this, key, {
        metadata: meta(props.users[key], "kafka", {
          "strimzi.io/cluster": kafka.cluster,
          [labels.instance]: props.names.election,
        }),
        spec: {
          authentication: { type: KafkaUserSpecAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512 },
          authorization: { type: KafkaUserSpecAuthorizationType.SIMPLE, acls: acls(grant) },
        },
      });
    }
  }
}

export interface GrafanaKafkaUserProps {
  /** The elections Grafana shows, by metadata.name, each once; none leaves it no ACL at all. */
  readonly elections: readonly string[];
}

/**
 * Grafana's one Kafka principal (grafana.kafkaUser), allowed to read the aggregated topics of each
 * election given, each named literally: the prefix both share, `<election>.`, would also cover the
 * election's voters topic (personal data) and its votes, and a shorter one other elections' topics.
 */
export class GrafanaKafkaUser extends Construct {
  constructor(scope: Construct, id: string, props: GrafanaKafkaUserProps) {
    super(scope, id);
    const repeated = props.elections.filter((e, i) => props.elections.indexOf(e) !== i);
    if (repeated.length > 0) throw new Error(`elections listed twice: ${repeated.join(", ")}`);
    new KafkaUser(this, "user", {
      metadata: meta(grafana.kafkaUser, "grafana", { "strimzi.io/cluster": kafka.cluster }),
      spec: {
        authentication: { type: KafkaUserSpecAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512 },
        authorization: {
          type: KafkaUserSpecAuthorizationType.SIMPLE,
          acls: props.elections.flatMap((e) => acls(grafanaGrant(electionNames(e)))),
        },
      },
    });
  }
}

function acls(grant: Grant): KafkaUserSpecAuthorizationAcls[] {
  const literal = (type: Resource, name: string, operations: Op[]): KafkaUserSpecAuthorizationAcls => ({
    resource: { type, name, patternType: Pattern.LITERAL },
    operations,
  });
  return [
    ...grant.reads.map((t) => literal(Resource.TOPIC, t, [Op.READ, Op.DESCRIBE])),
    ...grant.writes.map((t) => literal(Resource.TOPIC, t, [Op.WRITE, Op.DESCRIBE])),
    ...(grant.group ? [literal(Resource.GROUP, grant.group, [Op.READ, Op.DESCRIBE])] : []),
  ];
}
