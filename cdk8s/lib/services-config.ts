import { Construct } from "constructs";
import { k8s } from "cdk8s-plus-33";
import type { PlatformConfig } from "../config.js";
import { kafkaBootstrapServers, schemaRegistryUrl, services } from "../names.js";
import { meta } from "./meta.js";

export interface ServicesConfigProps {
  /** @default "info" */
  readonly logLevel?: PlatformConfig["logLevel"];
}

/**
 * The settings every livetally service reads from its environment, credentials and the election
 * excepted: each election's pods mount their own document (ELECTION_FILE).
 */
export class ServicesConfig extends Construct {
  constructor(scope: Construct, id: string, props: ServicesConfigProps) {
    super(scope, id);
    new k8s.KubeConfigMap(this, "config", {
      metadata: meta(services.configMap, "services"),
      data: {
        KAFKA_BOOTSTRAP_SERVERS: kafkaBootstrapServers,
        SCHEMA_REGISTRY_URL: schemaRegistryUrl,
        HTTP_PORT: String(services.httpPort),
        LOG_LEVEL: props.logLevel ?? "info",
      },
    });
  }
}
