import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Chart, YamlOutputType } from "cdk8s";
import { k8s } from "cdk8s-plus-33";
import type { Construct } from "constructs";
import { allTopics } from "../schemas/topics.js";
import { sqlScriptNames } from "../flink-sql/job.js";
import { repoRoot, versions, type Versions } from "../versions.js";
import type { PlatformConfig } from "./config.js";
import { imageRef } from "./images.js";
import { NAMESPACE, flink, services } from "./names.js";
import { KafkaCluster } from "./lib/kafka-cluster.js";
import { KafkaTopics } from "./lib/kafka-topics.js";
import { KafkaUsers } from "./lib/kafka-users.js";
import { chartObjects, componentLabels, type K8sObject } from "./lib/meta.js";
import { Postgres } from "./lib/postgres.js";
import { FlinkJob } from "./lib/flink-job.js";
import { Grafana } from "./lib/grafana.js";
import { NetworkPolicies } from "./lib/network-policies.js";
import { PodMonitors } from "./lib/pod-monitors.js";
import { RegistrationJob } from "./lib/registration-job.js";
import { SchemaRegistry } from "./lib/schema-registry.js";
import { ServicesConfig } from "./lib/services-config.js";
import { VotingDeployment } from "./lib/voting-deployment.js";

export type { K8sObject };

/** What the platform is built from besides its configuration: the repository's files, as data. */
export interface PlatformFiles {
  /** The pins of versions.env. */
  readonly versions: Versions;
  /** dashboards/build/*.json by file name; none before `make dashboards`. */
  readonly dashboards: Readonly<Record<string, string>>;
  /** The script names of flink-sql/sql, in the order the Flink job runs them. */
  readonly sqlScripts: readonly string[];
}

/** Reads the platform's files: the one place the app reads the repository. */
export function readPlatformFiles(): PlatformFiles {
  return { versions: versions(), dashboards: dashboardFiles(), sqlScripts: sqlScriptNames() };
}

/** Every dashboard JSON that `make dashboards` wrote, by file name; none before it ran. */
export function dashboardFiles(dir = join(repoRoot, "dashboards", "build")): Record<string, string> {
  if (!existsSync(dir)) return {};
  const names = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort();
  return Object.fromEntries(names.map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

export interface LivetallyChartProps extends PlatformFiles {
  readonly config: PlatformConfig;
}

/** The whole platform in one chart: every construct, wired by the names in names.ts. */
export class LivetallyChart extends Chart {
  constructor(scope: Construct, id: string, props: LivetallyChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, versions: v } = props;
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
    new SchemaRegistry(this, "registry", {
      ...config.registry,
      apicurioVersion: v.APICURIO_VERSION,
      disruptionBudget: config.disruptionBudgets,
    });
    new FlinkJob(this, "flink", {
      ...config.flink,
      image: imageRef(config.images, flink.image),
      imagePullPolicy: config.images.pullPolicy,
      flinkVersion: v.FLINK_VERSION,
      sqlScripts: props.sqlScripts,
    });
    new ServicesConfig(this, "services-config", { logLevel: config.logLevel, election: config.election });
    const servicesPod = {
      image: imageRef(config.images, services.image),
      imagePullPolicy: config.images.pullPolicy,
      setupResources: config.setup.resources,
    };
    new RegistrationJob(this, "registration", {
      ...servicesPod,
      voters: config.election.voters,
      seed: config.election.seed,
      resources: config.registration.resources,
    });
    new VotingDeployment(this, "voting", {
      ...servicesPod,
      replicas: config.voting.replicas,
      resources: config.voting.resources,
      disruptionBudget: config.disruptionBudgets,
    });
    if (config.grafana.enabled) {
      new Grafana(this, "grafana", {
        ...config.grafana,
        grafanaVersion: v.GRAFANA_VERSION,
        dashboards: props.dashboards,
      });
    }
    new NetworkPolicies(this, "network");
    new PodMonitors(this, "monitors", { grafana: config.grafana.enabled });
  }
}

/** Synthesizes the platform for one configuration, in memory; the files are read when not given. */
export function synthesize(config: PlatformConfig, files: PlatformFiles = readPlatformFiles()): K8sObject[] {
  const app = new App({ outputFileExtension: ".yaml", yamlOutputType: YamlOutputType.FILE_PER_APP });
  return chartObjects(new LivetallyChart(app, "livetally", { ...files, config }));
}
