import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Chart, YamlOutputType } from "cdk8s";
import { k8s } from "cdk8s-plus-33";
import type { Construct } from "constructs";
import { sqlScriptNames } from "../flink-sql/job.js";
import { readElectionFile, requireElection } from "../schemas/election/load.js";
import { validateElection } from "../schemas/election/validate.js";
import type { Election } from "../schemas/generated/election.js";
import { repoRoot, versions, type Versions } from "../versions.js";
import type { PlatformConfig, Profile } from "./config.js";
import { NAMESPACE, grafana, labels, services } from "./names.js";
import { valuesOf } from "./helm/values.js";
import { electionSchema } from "../schemas/generated/election.js";
import { electionStatusSchema } from "../schemas/generated/election-status.js";
import type { OpenApiSchema } from "../schemas/election/openapi.js";
import { imageRef } from "./images.js";
import { ControllerWorkload } from "./lib/controller.js";
import { ElectionCrd } from "./lib/election-crd.js";
import { ElectionWorkloads } from "./lib/election-workloads.js";
import { KafkaCluster } from "./lib/kafka-cluster.js";
import { GrafanaKafkaUser } from "./lib/kafka-users.js";
import { chartObjects, componentLabels, type K8sObject } from "./lib/meta.js";
import { Postgres } from "./lib/postgres.js";
import { FlinkServiceAccount } from "./lib/flink-job.js";
import { Grafana } from "./lib/grafana.js";
import { NetworkPolicies } from "./lib/network-policies.js";
import { PodMonitors } from "./lib/pod-monitors.js";
import { SchemaRegistry } from "./lib/schema-registry.js";
import { ServicesConfig } from "./lib/services-config.js";

export type { K8sObject };

/** What the platform is built from besides its configuration: the repository's files, as data. */
export interface PlatformFiles {
  /** The pins of versions.env. */
  readonly versions: Versions;
  /** dashboards/build/*.json by file name; none before `make dashboards`. */
  readonly dashboards: Readonly<Record<string, string>>;
  /** The script names of flink-sql/sql, in the order the Flink job runs them. */
  readonly sqlScripts: readonly string[];
  /** The Elections installed with the platform, as resources the controller runs. */
  readonly elections: readonly Election[];
}

/** What an election's objects take of the platform's files: the tally image's Flink and its SQL scripts. */
export type ElectionFiles = Pick<PlatformFiles, "sqlScripts"> & {
  readonly versions: Pick<Versions, "FLINK_VERSION">;
};

/** Reads the platform's files: the one place the app reads the repository. */
export function readPlatformFiles(profile: Profile): PlatformFiles {
  return {
    versions: versions(),
    dashboards: dashboardFiles(),
    sqlScripts: sqlScriptNames(),
    elections: [profileElection(profile, defaultElection())],
  };
}

/** elections/general-2026.yaml: the election the platform installs unless told otherwise. */
export function defaultElection(): Election {
  const file = join(repoRoot, "elections", "general-2026.yaml");
  return requireElection(readElectionFile(file), file);
}

/** Voters kind registers of an election: a laptop's cluster tallies them in seconds. */
const KIND_VOTERS = 1000;

/** The election as a profile runs it: kind shrinks its electorate to fit a small cluster. */
export function profileElection(profile: Profile, election: Election): Election {
  if (profile !== "kind" || election.spec.electorate.voters <= KIND_VOTERS) return election;
  const spec = { ...election.spec, electorate: { ...election.spec.electorate, voters: KIND_VOTERS } };
  const smaller = { ...election, spec };
  return requireElection(validateElection(smaller), `${election.metadata.name} for kind`);
}

/** Every dashboard JSON that `make dashboards` wrote, by file name; none before it ran. */
export function dashboardFiles(dir = join(repoRoot, "dashboards", "build")): Record<string, string> {
  if (!existsSync(dir)) return {};
  const names = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort();
  return Object.fromEntries(names.map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

export interface LivetallyChartProps extends Omit<PlatformFiles, "elections"> {
  readonly config: PlatformConfig;
}

/**
 * The platform in one chart, wired by the names in names.ts: what every election shares (Kafka,
 * PostgreSQL, the registry, Grafana, the policies, the Flink ServiceAccount, the Election CRD and its
 * controller); no election's objects.
 */
export class LivetallyChart extends Chart {
  constructor(scope: Construct, id: string, props: LivetallyChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, versions: v } = props;
    new k8s.KubeNamespace(this, "namespace", {
      metadata: { name: NAMESPACE, labels: componentLabels("namespace") },
    });
    new KafkaCluster(this, "kafka", { config: config.kafka, kafkaVersion: v.KAFKA_VERSION });
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
    new FlinkServiceAccount(this, "flink");
    new ElectionCrd(this, "election-crd", {
      schema: electionSchema as OpenApiSchema,
      statusSchema: electionStatusSchema as OpenApiSchema,
    });
    new ControllerWorkload(this, "controller", {
      // The services image holds the controller too (producers/Dockerfile).
      image: imageRef(config.images, services.image),
      imagePullPolicy: config.images.pullPolicy,
      replicas: config.controller.replicas,
      resources: config.controller.resources,
      values: valuesOf(config),
      build: { profile: config.profile, flinkVersion: v.FLINK_VERSION, sqlScripts: props.sqlScripts },
      disruptionBudget: config.disruptionBudgets,
    });
    new ServicesConfig(this, "services-config", { logLevel: config.logLevel });
    if (config.grafana.enabled) {
      new Grafana(this, "grafana", {
        ...config.grafana,
        image: imageRef(config.images, grafana.image),
        imagePullPolicy: config.images.pullPolicy,
        dashboards: props.dashboards,
      });
    }
    new NetworkPolicies(this, "network");
    new PodMonitors(this, "monitors", { grafana: config.grafana.enabled });
  }
}

const newApp = () => new App({ outputFileExtension: ".yaml", yamlOutputType: YamlOutputType.FILE_PER_APP });

/**
 * Every object of one election on a platform of this configuration, and nothing of the platform:
 * what the chart installs for a bundled election, and what the controller applies for an Election.
 */
export function electionObjects(
  config: PlatformConfig,
  election: Election,
  files: ElectionFiles = readPlatformFiles(config.profile),
): K8sObject[] {
  const chart = new Chart(newApp(), election.metadata.name, { disableResourceNameHashes: true });
  new ElectionWorkloads(chart, "election", {
    config,
    election,
    flinkVersion: files.versions.FLINK_VERSION,
    sqlScripts: files.sqlScripts,
  });
  return chartObjects(chart);
}

/**
 * Grafana's KafkaUser, reading the aggregated topics of exactly these elections: the controller
 * applies it again for the Elections it runs whenever their list changes.
 */
export function grafanaKafkaUser(elections: readonly string[]): K8sObject {
  const chart = new Chart(newApp(), "grafana-kafka-user", { disableResourceNameHashes: true });
  new GrafanaKafkaUser(chart, "user", { elections });
  const [user] = chartObjects(chart);
  if (!user) throw new Error("GrafanaKafkaUser made no object");
  return user;
}

/**
 * An Election as the platform installs it: the document itself, a resource in the platform's
 * namespace, which the controller turns into the election's objects.
 */
export function electionResourceObject(election: Election): K8sObject {
  const { name } = election.metadata;
  return {
    ...election,
    metadata: {
      name,
      namespace: NAMESPACE,
      labels: { ...componentLabels("election"), [labels.instance]: name },
    },
  };
}

/**
 * What the controller applies for these Elections on a platform of this configuration: each one's
 * objects and, with Grafana, Grafana's Kafka user reading their aggregated topics. Neither the app
 * nor the chart installs these; `make validate` checks them as the cluster will hold them.
 */
export function controlledObjects(
  config: PlatformConfig,
  elections: readonly Election[],
  files: ElectionFiles = readPlatformFiles(config.profile),
): K8sObject[] {
  const names = elections.map((e) => e.metadata.name).sort();
  const grafanaUser = config.grafana.enabled ? [grafanaKafkaUser(names)] : [];
  return [...elections.flatMap((e) => electionObjects(config, e, files)), ...grafanaUser];
}

/**
 * Synthesizes the platform for one configuration, in memory, and the Elections it installs, as
 * resources for the controller; the files are read when not given.
 */
export function synthesize(
  config: PlatformConfig,
  files: PlatformFiles = readPlatformFiles(config.profile),
): K8sObject[] {
  const platform = chartObjects(new LivetallyChart(newApp(), "livetally", { ...files, config }));
  return [...platform, ...files.elections.map(electionResourceObject)];
}

/**
 * The objects a cluster holds once the platform is installed and the controller has run its
 * Elections: what the tests and `make validate` check the election workloads in.
 */
export function clusterObjects(
  config: PlatformConfig,
  files: PlatformFiles = readPlatformFiles(config.profile),
): K8sObject[] {
  return [...synthesize(config, files), ...controlledObjects(config, files.elections, files)];
}
