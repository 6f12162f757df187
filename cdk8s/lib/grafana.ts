import { Construct } from "constructs";
import {
  ConfigMap,
  Deployment,
  EnvValue,
  Probe,
  Service,
  ServiceType,
  Volume,
  k8s,
  type ContainerProps,
} from "cdk8s-plus-33";
import { stringify } from "yaml";
import { kafkaDatasource } from "../../dashboards/datasources.js";
import type {
  KafkaDatasourceJsonData,
  KafkaDatasourceSecureJsonData,
} from "../../dashboards/kafka-datasource.js";
import type { ContainerResources, PlatformConfig, PullPolicy } from "../config.js";
import {
  grafana,
  kafkaBootstrapServers,
  kafkaUserSecretKeys,
  postgres,
  schemaRegistryUrl,
} from "../names.js";
import { GeneratedSecret } from "./generated-secret.js";
import { componentLabels, meta } from "./meta.js";
import { secretFiles } from "./secret-files.js";
import { restrictedContainer, restrictedPodSecurity } from "./security.js";
import { workloadResources } from "./service-container.js";

/** The label Grafana's dashboard sidecar (kube-prometheus-stack, the Grafana chart) watches for. */
export const DASHBOARD_LABEL = "grafana_dashboard";

export interface GrafanaProps {
  /** Grafana with the Kafka data source plugin installed: the livetally-grafana image (dashboards/Dockerfile). */
  readonly image: string;
  /** @default "Always" */
  readonly imagePullPolicy?: PullPolicy;
  /** The KafkaUser the Kafka data source reads as, and so its Secret's name. @default grafana.kafkaUser of names.ts */
  readonly kafkaUser?: string;
  /** Dashboard JSON by file name, provisioned into the livetally folder. @default none */
  readonly dashboards?: Readonly<Record<string, string>>;
  /** The Secret holding `admin-user` and `admin-password`. @default grafana.adminSecret of names.ts */
  readonly adminSecret?: string;
  /** Whether the construct creates that Secret with a random password. @default true */
  readonly createAdminSecret?: boolean;
  /** @default 1 */
  readonly replicas?: number;
  readonly resources: ContainerResources;
  /** @default "ClusterIP" */
  readonly serviceType?: PlatformConfig["grafana"]["serviceType"];
}

/**
 * Grafana with its datasources (PostgreSQL as the read-only dashboard role, Prometheus, Kafka as its
 * own KafkaUser) and the livetally dashboards provisioned from a ConfigMap, which a Grafana sidecar can
 * pick up as well.
 */
export class Grafana extends Construct {
  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    const adminSecret = props.adminSecret ?? grafana.adminSecret;
    const serviceType = props.serviceType ?? "ClusterIP";
    if (props.createAdminSecret ?? true) {
      new GeneratedSecret(this, "admin", {
        name: adminSecret,
        component: "grafana",
        fixed: { "admin-user": "admin" },
        generated: ["admin-password"],
      });
    }

    new k8s.KubeConfigMap(this, "dashboards", {
      metadata: meta(grafana.dashboardsConfigMap, "grafana", { [DASHBOARD_LABEL]: "1" }),
      data: props.dashboards ?? {},
    });
    const admin = secretFiles(this, "admin", adminSecret);
    const reader = secretFiles(this, "database", postgres.grafanaSecret);
    const kafkaUser = props.kafkaUser ?? grafana.kafkaUser;
    const kafkaCredentials = secretFiles(this, "kafka", kafkaUser);
    new k8s.KubeConfigMap(this, "datasources", {
      metadata: meta(grafana.datasourcesConfigMap, "grafana"),
      data: {
        "datasources.yaml": stringify(
          datasources(reader.file("password"), {
            user: kafkaUser,
            passwordFile: kafkaCredentials.file(kafkaUserSecretKeys.password),
          }),
          { lineWidth: 0 },
        ),
      },
    });
    new k8s.KubeConfigMap(this, "providers", {
      metadata: meta(grafana.dashboardProvidersConfigMap, "grafana"),
      data: {
        "livetally.yaml": stringify(
          {
            apiVersion: 1,
            providers: [
              {
                name: "livetally",
                folder: "livetally",
                type: "file",
                disableDeletion: true,
                options: { path: "/var/lib/grafana/dashboards/livetally" },
              },
            ],
          },
          { lineWidth: 0 },
        ),
      },
    });

    const configMap = (cmId: string, name: string) => ConfigMap.fromConfigMapName(this, cmId, name);
    const probe = (path: string) => Probe.fromHttpGet(path, { port: grafana.port });
    const podLabels = componentLabels("grafana", grafana.name);
    const deployment = new Deployment(this, "deployment", {
      metadata: meta(grafana.name, "grafana"),
      replicas: props.replicas ?? 1,
      podMetadata: { labels: podLabels },
      // Not the image's uid 472: the image runs as any user, and all it writes goes to the emptyDirs below.
      securityContext: restrictedPodSecurity,
      containers: [
        {
          name: "grafana",
          image: props.image,
          imagePullPolicy: (props.imagePullPolicy ?? "Always") as ContainerProps["imagePullPolicy"],
          ports: [{ number: grafana.port, name: "http" }],
          envVariables: {
            // Grafana reads $__file{} itself. The image's GF_*__FILE variables would not do: its
            // entrypoint exports the file's content into grafana-server's environment.
            GF_SECURITY_ADMIN_USER: EnvValue.fromValue(`$__file{${admin.file("admin-user")}}`),
            GF_SECURITY_ADMIN_PASSWORD: EnvValue.fromValue(`$__file{${admin.file("admin-password")}}`),
            GF_ANALYTICS_REPORTING_ENABLED: EnvValue.fromValue("false"),
            GF_ANALYTICS_CHECK_FOR_UPDATES: EnvValue.fromValue("false"),
            // The root filesystem is read-only: log to the console only.
            GF_LOG_MODE: EnvValue.fromValue("console"),
          },
          securityContext: restrictedContainer,
          volumeMounts: [
            admin.mount,
            reader.mount,
            kafkaCredentials.mount,
            { path: "/var/lib/grafana", volume: Volume.fromEmptyDir(this, "data", "data") },
            { path: "/tmp", volume: Volume.fromEmptyDir(this, "tmp", "tmp") },
            {
              path: "/etc/grafana/provisioning/datasources",
              volume: Volume.fromConfigMap(
                this,
                "datasources-volume",
                configMap("ds", grafana.datasourcesConfigMap),
              ),
            },
            {
              path: "/etc/grafana/provisioning/dashboards",
              volume: Volume.fromConfigMap(
                this,
                "providers-volume",
                configMap("providers-cm", grafana.dashboardProvidersConfigMap),
              ),
            },
            {
              path: "/var/lib/grafana/dashboards/livetally",
              volume: Volume.fromConfigMap(
                this,
                "dashboards-volume",
                configMap("dash", grafana.dashboardsConfigMap),
              ),
            },
          ],
          // Ready once its database answers; alive while its web server does, so that a slow
          // database makes Grafana unready, never restarts it.
          liveness: probe("/healthz"),
          readiness: probe("/api/health"),
        },
      ],
    });
    workloadResources(deployment, [props.resources]);
    new Service(this, "service", {
      metadata: meta(grafana.name, "grafana"),
      type: serviceType === "NodePort" ? ServiceType.NODE_PORT : ServiceType.CLUSTER_IP,
      selector: deployment,
      ports: [
        {
          name: "http",
          port: grafana.port,
          targetPort: grafana.port,
          ...(serviceType === "NodePort" ? { nodePort: grafana.nodePort } : {}),
        },
      ],
    });
  }
}

/** Grafana's datasources; the dashboard role's and the KafkaUser's passwords are read from the files given. */
function datasources(passwordFile: string, kafkaUser: { user: string; passwordFile: string }) {
  const kafkaSettings: KafkaDatasourceJsonData = {
    bootstrapServers: kafkaBootstrapServers,
    clientId: kafkaUser.user,
    securityProtocol: "SASL_PLAINTEXT",
    saslMechanisms: "SCRAM-SHA-512",
    saslUsername: kafkaUser.user,
    schemaRegistryUrl,
  };
  const kafkaSecrets: KafkaDatasourceSecureJsonData = { saslPassword: `$__file{${kafkaUser.passwordFile}}` };
  return {
    apiVersion: 1,
    datasources: [
      {
        name: "livetally",
        uid: "livetally-postgres",
        type: "grafana-postgresql-datasource",
        url: `${postgres.rwService}:${postgres.port}`,
        user: postgres.grafanaRole,
        jsonData: { database: postgres.appDatabase, sslmode: "require", postgresVersion: 1700 },
        // Grafana expands $__file{} in provisioning files.
        secureJsonData: { password: `$__file{${passwordFile}}` },
        isDefault: true,
      },
      {
        name: "Prometheus",
        uid: "prometheus",
        type: "prometheus",
        url: grafana.prometheusUrl,
      },
      {
        name: "Kafka",
        ...kafkaDatasource,
        jsonData: kafkaSettings,
        secureJsonData: kafkaSecrets,
      },
    ],
  };
}
