import { ApiObject, JsonPatch } from "cdk8s";
import { Construct } from "constructs";
import { Deployment, EnvValue, Probe, Service, Volume } from "cdk8s-plus-33";
import type { ContainerResources } from "../config.js";
import { postgres, registry } from "../names.js";
import { DisruptionBudget } from "./disruption-budget.js";
import { componentLabels, meta } from "./meta.js";
import { secretFiles } from "./secret-files.js";
import { restrictedContainer, restrictedPodSecurity } from "./security.js";
import { workloadResources } from "./service-container.js";

export interface SchemaRegistryProps {
  /** The release of the quay.io/apicurio/apicurio-registry image (APICURIO_VERSION). */
  readonly apicurioVersion: string;
  /** @default 1 */
  readonly replicas?: number;
  readonly resources: ContainerResources;
  /** A PodDisruptionBudget, so that a node drain takes one replica at a time. @default false */
  readonly disruptionBudget?: boolean;
}

/**
 * Apicurio Registry, storing its artifacts in the `registry` PostgreSQL database. Services and the
 * Flink job speak its Confluent-compatible API.
 */
export class SchemaRegistry extends Construct {
  constructor(scope: Construct, id: string, props: SchemaRegistryProps) {
    super(scope, id);
    const podLabels = componentLabels("registry", registry.name);
    const credentials = secretFiles(this, "database", postgres.registrySecret);
    const health = (path: string) => Probe.fromHttpGet(path, { port: registry.managementPort });
    const deployment = new Deployment(this, "deployment", {
      metadata: meta(registry.name, "registry"),
      replicas: props.replicas ?? 1,
      podMetadata: { labels: podLabels },
      securityContext: restrictedPodSecurity,
      containers: [
        {
          name: "registry",
          image: `quay.io/apicurio/apicurio-registry:${props.apicurioVersion}`,
          ports: [
            { number: registry.port, name: "http" },
            { number: registry.managementPort, name: "management" },
          ],
          envVariables: {
            APICURIO_STORAGE_KIND: EnvValue.fromValue("sql"),
            APICURIO_STORAGE_SQL_KIND: EnvValue.fromValue("postgresql"),
            APICURIO_DATASOURCE_URL: EnvValue.fromValue(
              `jdbc:postgresql://${postgres.rwService}:${postgres.port}/${postgres.registryDatabase}`,
            ),
            // Apicurio Registry (3.2.1 and later) reads any setting X from the file X_FILE names.
            APICURIO_DATASOURCE_USERNAME_FILE: EnvValue.fromValue(credentials.file("username")),
            APICURIO_DATASOURCE_PASSWORD_FILE: EnvValue.fromValue(credentials.file("password")),
          },
          securityContext: restrictedContainer,
          volumeMounts: [
            { path: "/tmp", volume: Volume.fromEmptyDir(this, "tmp", "tmp") },
            credentials.mount,
          ],
          startup: health("/health/started"),
          liveness: health("/health/live"),
          readiness: health("/health/ready"),
        },
      ],
    });
    // Not the image's uid 1001: the image gives /deployments to group 0 (the OpenShift convention for
    // arbitrary uids), so the pod keeps group 0 as a supplementary group instead of its primary one.
    ApiObject.of(deployment).addJsonPatch(
      JsonPatch.add("/spec/template/spec/securityContext/supplementalGroups", [0]),
    );
    deployment.scheduling.spread({ weight: 100 });
    workloadResources(deployment, [props.resources]);
    new Service(this, "service", {
      metadata: meta(registry.name, "registry"),
      selector: deployment,
      ports: [{ port: registry.port, targetPort: registry.port, name: "http" }],
    });
    if (props.disruptionBudget ?? false) {
      new DisruptionBudget(this, "budget", { name: registry.name, component: "registry", podLabels });
    }
  }
}
