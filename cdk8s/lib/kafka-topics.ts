import { Construct } from "constructs";
import { KafkaTopic } from "../imports/kafka.strimzi.io.js";
import type { TopicSpec } from "../../schemas/topics.js";
import { kafka, labels } from "../names.js";
import { meta } from "./meta.js";

export interface KafkaTopicsProps {
  /** The election whose topics these are. */
  readonly election: string;
  readonly topics: readonly TopicSpec[];
  readonly replication: number;
  readonly minInsyncReplicas: number;
}

/**
 * One KafkaTopic per topic of an election (schemas/election/names.ts): partitions and retention or
 * compaction come from schemas/topics.ts; replication and min.insync.replicas from the profile, since they depend on the broker count.
 */
export class KafkaTopics extends Construct {
  constructor(scope: Construct, id: string, props: KafkaTopicsProps) {
    super(scope, id);
    for (const topic of props.topics) {
      new KafkaTopic(this, topic.name, {
        // Kubernetes names allow no underscore; spec.topicName carries the Kafka name.
        metadata: meta(resourceName(topic.name), "kafka", {
          "strimzi.io/cluster": kafka.cluster,
          [labels.instance]: props.election,
        }),
        spec: {
          topicName: topic.name,
          partitions: topic.partitions,
          replicas: props.replication,
          config: { ...topic.config, "min.insync.replicas": props.minInsyncReplicas },
        },
      });
    }
  }
}

/** `<election>.<topic>`: a DNS subdomain once its underscores are hyphens. */
export function resourceName(topicName: string): string {
  return topicName.replaceAll("_", "-");
}
