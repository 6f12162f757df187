import { App, Chart, YamlOutputType } from "cdk8s";
import { k8s } from "cdk8s-plus-33";
import type { Construct } from "constructs";
import { allTopics } from "../schemas/topics.js";
import { versions } from "../versions.js";
import type { PlatformConfig } from "./config.js";
import { NAMESPACE } from "./names.js";
import { KafkaCluster } from "./lib/kafka-cluster.js";
import { KafkaTopics } from "./lib/kafka-topics.js";
import { KafkaUsers } from "./lib/kafka-users.js";
import { componentLabels, resourcesOverrides } from "./lib/meta.js";
import { Postgres } from "./lib/postgres.js";
import { FlinkJob } from "./lib/flink-job.js";
import { Grafana } from "./lib/grafana.js";
import { NetworkPolicies } from "./lib/network-policies.js";
import { PodMonitors } from "./lib/pod-monitors.js";
import { RegistrationJob } from "./lib/registration-job.js";
import { SchemaRegistry } from "./lib/schema-registry.js";
import { ServicesConfig } from "./lib/services-config.js";
import { VotingDeployment } from "./lib/voting-deployment.js";

/** A Kubernetes object as synthesized: plain JSON. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
  };
  readonly [key: string]: unknown;
}

/** The whole platform in one chart: every construct, wired by the names in names.ts. */
export class LivetallyChart extends Chart {
  constructor(scope: Construct, id: string, config: PlatformConfig) {
    super(scope, id, { disableResourceNameHashes: true });
    const v = versions();
    new k8s.KubeNamespace(this, "namespace", {
      metadata: { name: NAMESPACE, labels: componentLabels("namespace") },
    });
    new KafkaCluster(this, "kafka", { config: config.kafka, kafkaVersion: v.KAFKA_VERSION });
    new KafkaTopics(this, "topics", {
      topics: allTopics,
      replication: config.kafka.replication,
      minInsyncReplicas: config.kafka.minInsyncReplicas,
    });
    new KafkaUsers(this, "users");
    new Postgres(this, "postgres", {
      config: config.postgres,
      postgresVersion: v.POSTGRES_IMAGE_VERSION,
      disruptionBudget: config.disruptionBudgets,
    });
    new SchemaRegistry(this, "registry", { config, apicurioVersion: v.APICURIO_VERSION });
    new FlinkJob(this, "flink", { config, flinkVersion: v.FLINK_VERSION });
    new ServicesConfig(this, "services-config", { config });
    new RegistrationJob(this, "registration", { config });
    new VotingDeployment(this, "voting", { config });
    if (config.grafana.enabled) new Grafana(this, "grafana", { config, grafanaVersion: v.GRAFANA_VERSION });
    new NetworkPolicies(this, "network");
    new PodMonitors(this, "monitors", { grafana: config.grafana.enabled });
  }
}

/** Synthesizes the platform for one configuration, in memory. */
export function synthesize(config: PlatformConfig): K8sObject[] {
  const app = new App({ outputFileExtension: ".yaml", yamlOutputType: YamlOutputType.FILE_PER_APP });
  const chart = new LivetallyChart(app, "livetally", config);
  const objects = chart.toJson() as K8sObject[];
  for (const o of resourcesOverrides(chart)) {
    const target = objects.find((x) => x.kind === o.kind && x.metadata.name === o.name);
    if (!target) throw new Error(`resources for a missing ${o.kind} ${o.name}`);
    setAt(target, o.pointer, o.resources);
  }
  return objects;
}

/** Sets a value at a JSON pointer, creating objects on the way (arrays must exist). */
export function setAt(root: object, pointer: string, value: unknown): void {
  const keys = pointer.split("/").slice(1);
  const last = keys.pop();
  if (last === undefined) throw new Error(`bad pointer ${pointer}`);
  let node = root as Record<string, unknown>;
  for (const key of keys) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[last] = value;
}
