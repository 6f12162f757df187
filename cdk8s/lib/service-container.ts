import { ApiObject } from "cdk8s";
import {
  ConfigMap,
  Env,
  EnvValue,
  Probe,
  Secret,
  Volume,
  type ContainerProps,
  type Workload,
} from "cdk8s-plus-33";
import type { Construct } from "constructs";
import type { PlatformConfig, Resources } from "../config.js";
import { kafkaUsers, kafkaUserSecretKeys, postgres, services, type KafkaUserKey } from "../names.js";
import { restrictedContainer } from "./security.js";
import { setResources } from "./meta.js";

/** The livetally services image, for one of its entrypoints. */
export function servicesImage(config: PlatformConfig): string {
  return `${config.images.registry}/${services.image}:${config.images.tag}`;
}

/** Annotations for Prometheus setups that scrape by annotation rather than PodMonitor. */
export const scrapeAnnotations = {
  "prometheus.io/scrape": "true",
  "prometheus.io/port": String(services.httpPort),
  "prometheus.io/path": "/metrics",
};

export interface ServiceContainerOptions {
  readonly name: string;
  /** The compiled entrypoint, relative to the image's working directory. */
  readonly entrypoint: string;
  readonly args?: string[];
  /** The Kafka principal the process authenticates as; none for setup, which touches no topic. */
  readonly kafkaUser?: KafkaUserKey;
  /** Long-running processes answer /healthz and /readyz on the metrics port. */
  readonly probes: boolean;
}

/**
 * A container of the services image: shared settings from the services ConfigMap, credentials
 * from the Secrets the operators write, restricted security context, a writable /tmp only.
 */
export function serviceContainer(
  scope: Construct,
  config: PlatformConfig,
  o: ServiceContainerOptions,
): ContainerProps {
  const secret = (name: string) => Secret.fromSecretName(scope, `${o.name}-${name}`, name);
  const envVariables: Record<string, EnvValue> = {
    DATABASE_URL: EnvValue.fromSecretValue({ secret: secret(postgres.appSecret), key: "uri" }),
  };
  if (o.kafkaUser) {
    const user = kafkaUsers[o.kafkaUser];
    envVariables.KAFKA_SASL_USERNAME = EnvValue.fromValue(user);
    envVariables.KAFKA_SASL_PASSWORD = EnvValue.fromSecretValue({
      secret: secret(user),
      key: kafkaUserSecretKeys.password,
    });
  }
  const health = (path: string) => Probe.fromHttpGet(path, { port: services.httpPort });
  return {
    name: o.name,
    image: servicesImage(config),
    imagePullPolicy: config.images.pullPolicy as ContainerProps["imagePullPolicy"],
    command: ["node", o.entrypoint, ...(o.args ?? [])],
    envFrom: [Env.fromConfigMap(ConfigMap.fromConfigMapName(scope, `${o.name}-config`, services.configMap))],
    envVariables,
    securityContext: restrictedContainer,
    ...(o.probes
      ? {
          ports: [{ number: services.httpPort, name: "metrics" }],
          liveness: health("/healthz"),
          readiness: health("/readyz"),
        }
      : {}),
  };
}

/** Gives a workload's containers a private /tmp: the root filesystem is read-only. */
export function tmpVolume(scope: Construct, id: string) {
  return { path: "/tmp", volume: Volume.fromEmptyDir(scope, id, "tmp") };
}

/** Sets the resources of a workload's containers and init containers, in order. */
export function workloadResources(
  workload: Workload,
  containers: readonly Resources[],
  initContainers: readonly Resources[] = [],
): void {
  const obj = ApiObject.of(workload);
  containers.forEach((r, i) => setResources(obj, `/spec/template/spec/containers/${i}/resources`, r));
  initContainers.forEach((r, i) => setResources(obj, `/spec/template/spec/initContainers/${i}/resources`, r));
}

/** Applies migrations and registers the Avro schemas before a service starts (idempotent). */
export function setupContainer(scope: Construct, config: PlatformConfig): ContainerProps {
  return serviceContainer(scope, config, {
    name: "setup",
    entrypoint: "producers/setup/main.js",
    args: ["--no-topics"],
    probes: false,
  });
}
