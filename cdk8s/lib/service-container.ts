import { ApiObject } from "cdk8s";
import {
  ConfigMap,
  Env,
  EnvValue,
  Probe,
  Volume,
  type ContainerProps,
  type IConfigMap,
  type Workload,
  type WorkloadProps,
} from "cdk8s-plus-33";
import type { Construct } from "constructs";
import type { ContainerResources, PullPolicy } from "../config.js";
import { electionObjectNames, kafkaUserSecretKeys, labels, postgres, services } from "../names.js";
import { secretFiles, type SecretFiles } from "./secret-files.js";
import { restrictedContainer, restrictedPodSecurity } from "./security.js";
import { componentLabels, meta, setResources } from "./meta.js";

/** Annotations for Prometheus setups that scrape by annotation rather than PodMonitor. */
const scrapeAnnotations = {
  "prometheus.io/scrape": "true",
  "prometheus.io/port": String(services.httpPort),
  "prometheus.io/path": "/metrics",
};

/** The livetally-services image, as its workloads pull it. */
export interface ServicesImage {
  /** registry/livetally-services:tag */
  readonly image: string;
  readonly imagePullPolicy: PullPolicy;
}

/** One process of the services image, as its container runs it. */
export interface ServiceProcess {
  /** The container's name. */
  readonly name: string;
  /** The compiled entrypoint, relative to the image's working directory. */
  readonly entrypoint: string;
  readonly args?: readonly string[];
  /** Node's own flags, before the entrypoint. */
  readonly nodeFlags?: readonly string[];
  /** The KafkaUser the process authenticates as; none for setup, which touches no topic. */
  readonly kafkaUser?: string;
}

/** The file the services read the election document from (ELECTION_FILE), in its mounted ConfigMap. */
const ELECTION_FILE = `${services.electionDir}/${services.electionKey}`;

/** The credentials a process of the services image reads, as files. */
interface ServiceCredentials {
  /** The CloudNativePG app Secret: its `uri` is DATABASE_URL. */
  readonly database: SecretFiles;
  /** The Strimzi KafkaUser Secret of the process's principal: its `password`. */
  readonly kafka?: SecretFiles;
}

/**
 * A container of the services image: shared settings from the services ConfigMap, credentials as
 * files of the Secrets the operators write (the services read NAME_FILE), restricted security context.
 */
function serviceContainer(
  pull: ServicesImage,
  configMap: IConfigMap,
  o: ServiceProcess,
  credentials: ServiceCredentials,
  /** Long-running processes answer /healthz and /readyz on the metrics port. */
  probes: boolean,
): ContainerProps {
  const envVariables: Record<string, EnvValue> = {
    DATABASE_URL_FILE: EnvValue.fromValue(credentials.database.file("uri")),
    ELECTION_FILE: EnvValue.fromValue(ELECTION_FILE),
  };
  if (o.kafkaUser && credentials.kafka) {
    envVariables.KAFKA_SASL_USERNAME = EnvValue.fromValue(o.kafkaUser);
    envVariables.KAFKA_SASL_PASSWORD_FILE = EnvValue.fromValue(
      credentials.kafka.file(kafkaUserSecretKeys.password),
    );
  }
  const health = (path: string) => Probe.fromHttpGet(path, { port: services.httpPort });
  return {
    name: o.name,
    image: pull.image,
    imagePullPolicy: pull.imagePullPolicy as ContainerProps["imagePullPolicy"],
    command: ["node", ...(o.nodeFlags ?? []), o.entrypoint, ...(o.args ?? [])],
    envFrom: [Env.fromConfigMap(configMap)],
    envVariables,
    securityContext: restrictedContainer,
    ...(probes
      ? {
          ports: [{ number: services.httpPort, name: "metrics" }],
          liveness: health("/healthz"),
          readiness: health("/readyz"),
        }
      : {}),
  };
}

/** Sets the resources of a workload's containers and init containers, in order. */
export function workloadResources(
  workload: Workload,
  containers: readonly ContainerResources[],
  initContainers: readonly ContainerResources[] = [],
): void {
  const obj = ApiObject.of(workload);
  containers.forEach((r, i) => setResources(obj, `/spec/template/spec/containers/${i}/resources`, r));
  initContainers.forEach((r, i) => setResources(obj, `/spec/template/spec/initContainers/${i}/resources`, r));
}

/**
 * What every workload of the services image takes: the election it serves, the image, and the
 * resources of its two containers.
 */
export interface ServicesPodProps extends ServicesImage {
  /** The election's metadata.name: its ConfigMap is mounted, its objects are named after it. */
  readonly election: string;
  /** Resources of the service's container. */
  readonly resources: ContainerResources;
  /** Resources of the setup init container. */
  readonly setupResources: ContainerResources;
}

export interface ServicesWorkloadOptions extends ServicesPodProps {
  /** The workload's name. */
  readonly name: string;
  /**
   * What its pods are, as app.kubernetes.io/name, the same for every election's (NetworkPolicies
   * select by it); app.kubernetes.io/instance says whose.
   */
  readonly app: string;
  /** The service's container; it answers the probes on the metrics port. */
  readonly service: ServiceProcess;
}

/** The part of a Job's or Deployment's props that servicesWorkload fills in. */
export type ServicesPod = Required<
  Pick<WorkloadProps, "metadata" | "podMetadata" | "securityContext" | "initContainers" | "containers">
>;

/**
 * A workload of the services image, made by `create` from the pod it is given: setup first as the
 * init container (the election's schema and Avro subjects, idempotent), then the service. Both get a
 * private /tmp (the root filesystem is read-only), the election document and their credentials as
 * files, the restricted security context and their resources;
 * the pods carry the services' labels, their election's, and scrape annotations.
 */
export function servicesWorkload<W extends Workload>(
  scope: Construct,
  o: ServicesWorkloadOptions,
  create: (pod: ServicesPod) => W,
): W {
  const tmp = { path: "/tmp", volume: Volume.fromEmptyDir(scope, "tmp", "tmp") };
  const configMap = ConfigMap.fromConfigMapName(scope, "config", services.configMap);
  const election = {
    path: services.electionDir,
    readOnly: true,
    volume: Volume.fromConfigMap(
      scope,
      "election-volume",
      ConfigMap.fromConfigMapName(scope, "election", electionObjectNames(o.election).configMap),
      { name: "election" },
    ),
  };
  const database = secretFiles(scope, "database", postgres.appSecret);
  const kafka = o.service.kafkaUser ? secretFiles(scope, "kafka", o.service.kafkaUser) : undefined;
  const setup = serviceContainer(
    o,
    configMap,
    { name: "setup", entrypoint: "producers/setup/main.js", args: ["--no-topics"] },
    { database },
    false,
  );
  const service = serviceContainer(o, configMap, o.service, { database, ...(kafka ? { kafka } : {}) }, true);
  const workload = create({
    metadata: meta(o.name, "services", { [labels.instance]: o.election }),
    podMetadata: { labels: servicesPodLabels(o.app, o.election), annotations: scrapeAnnotations },
    securityContext: restrictedPodSecurity,
    initContainers: [{ ...setup, volumeMounts: [tmp, election, database.mount] }],
    containers: [
      { ...service, volumeMounts: [tmp, election, database.mount, ...(kafka ? [kafka.mount] : [])] },
    ],
  });
  workloadResources(workload, [o.resources], [o.setupResources]);
  return workload;
}

/** The labels of one election's pods of a services workload. */
export function servicesPodLabels(app: string, election: string): Record<string, string> {
  return { ...componentLabels("services", app), [labels.instance]: election };
}
