import { Construct } from "constructs";
import {
  Kafka,
  KafkaNodePool,
  KafkaNodePoolSpecRoles,
  KafkaNodePoolSpecStorageType,
  KafkaSpecKafkaAuthorizationType,
  KafkaSpecKafkaListenersAuthenticationType,
  KafkaSpecKafkaListenersType,
  KafkaSpecKafkaMetricsConfigType,
} from "../imports/kafka.strimzi.io.js";
import type { PlatformConfig } from "../config.js";
import { kafka } from "../names.js";
import { meta, setResources } from "./meta.js";

export interface KafkaClusterProps {
  readonly config: PlatformConfig["kafka"];
  readonly kafkaVersion: string;
}

/**
 * A KRaft Kafka cluster run by Strimzi: node pools for brokers and controllers (one combined pool
 * when there are no dedicated controllers), SCRAM-authenticated listener, ACL authorization,
 * Strimzi's Prometheus metrics reporter.
 */
export class KafkaCluster extends Construct {
  constructor(scope: Construct, id: string, props: KafkaClusterProps) {
    super(scope, id);
    const { config } = props;
    const clusterLabel = { "strimzi.io/cluster": kafka.cluster };
    const combined = config.controllers === 0;

    new Kafka(this, "cluster", {
      metadata: meta(kafka.cluster, "kafka"),
      spec: {
        kafka: {
          version: props.kafkaVersion,
          listeners: [
            {
              name: "scram",
              port: kafka.port,
              type: KafkaSpecKafkaListenersType.INTERNAL,
              tls: false,
              authentication: { type: KafkaSpecKafkaListenersAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512 },
            },
          ],
          authorization: { type: KafkaSpecKafkaAuthorizationType.SIMPLE },
          config: {
            "default.replication.factor": config.replication,
            "offsets.topic.replication.factor": config.replication,
            "transaction.state.log.replication.factor": config.replication,
            "transaction.state.log.min.isr": config.minInsyncReplicas,
            "min.insync.replicas": config.minInsyncReplicas,
            // Topics are declared as KafkaTopics; a typo in a client must not create a new one.
            "auto.create.topics.enable": false,
          },
          metricsConfig: { type: KafkaSpecKafkaMetricsConfigType.STRIMZI_METRICS_REPORTER },
        },
        entityOperator: { topicOperator: {}, userOperator: {} },
        // Consumer-group lag as the brokers see it (kafka_consumergroup_lag), for the operations
        // dashboard; its pods carry the cluster label, so the Kafka PodMonitor scrapes them too.
        kafkaExporter: { groupRegex: ".*", topicRegex: ".*" },
      },
    });

    const brokers = new KafkaNodePool(this, "brokers", {
      metadata: meta(kafka.brokerPool, "kafka", clusterLabel),
      spec: {
        replicas: config.brokers,
        roles: combined
          ? [KafkaNodePoolSpecRoles.CONTROLLER, KafkaNodePoolSpecRoles.BROKER]
          : [KafkaNodePoolSpecRoles.BROKER],
        storage: {
          type: KafkaNodePoolSpecStorageType.PERSISTENT_HYPHEN_CLAIM,
          size: config.storage,
          deleteClaim: false,
        },
        template: { pod: { affinity: spreadAcrossNodes(kafka.brokerPool) } },
      },
    });
    setResources(brokers, "/spec/resources", config.resources);

    if (!combined) {
      const controllers = new KafkaNodePool(this, "controllers", {
        metadata: meta(kafka.controllerPool, "kafka", clusterLabel),
        spec: {
          replicas: config.controllers,
          roles: [KafkaNodePoolSpecRoles.CONTROLLER],
          storage: {
            type: KafkaNodePoolSpecStorageType.PERSISTENT_HYPHEN_CLAIM,
            size: config.storage,
            deleteClaim: false,
          },
          template: { pod: { affinity: spreadAcrossNodes(kafka.controllerPool) } },
        },
      });
      setResources(controllers, "/spec/resources", config.resources);
    }
  }
}

/** Prefers one node per Kafka node of a pool, so a lost node costs one replica only. */
function spreadAcrossNodes(pool: string) {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: 100,
          podAffinityTerm: {
            topologyKey: "kubernetes.io/hostname",
            labelSelector: {
              matchLabels: { "strimzi.io/cluster": kafka.cluster, "strimzi.io/pool-name": pool },
            },
          },
        },
      ],
    },
  };
}
