import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Construct } from "constructs";
import {
  ConfigMap,
  Deployment,
  EnvValue,
  Probe,
  Secret,
  Service,
  ServiceType,
  Volume,
  k8s,
} from "cdk8s-plus-33";
import { stringify } from "yaml";
import { repoRoot } from "../../versions.js";
import type { PlatformConfig } from "../config.js";
import { grafana, postgres } from "../names.js";
import { GeneratedSecret } from "./generated-secret.js";
import { componentLabels, meta } from "./meta.js";
import { restrictedContainer } from "./security.js";
import { workloadResources } from "./service-container.js";

/** The label Grafana's dashboard sidecar (kube-prometheus-stack, the Grafana chart) watches for. */
export const DASHBOARD_LABEL = "grafana_dashboard";

/** The grafana user of the official image. */
const GRAFANA_UID = 472;

/** Every dashboard JSON that `make dashboards` wrote, by file name; none before it ran. */
export function dashboardFiles(dir = join(repoRoot, "dashboards", "build")): Record<string, string> {
  if (!existsSync(dir)) return {};
  const names = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort();
  return Object.fromEntries(names.map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

export interface GrafanaProps {
  readonly config: PlatformConfig;
  readonly grafanaVersion: string;
}

/**
 * Grafana with its datasources (PostgreSQL as the read-only dashboard role, Prometheus) and the
 * livetally dashboards provisioned from a ConfigMap, which a Grafana sidecar can pick up as well.
 */
export class Grafana extends Construct {
  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    const { config } = props;
    const g = config.grafana;
    if (g.createAdminSecret) {
      new GeneratedSecret(this, "admin", {
        name: g.adminSecret,
        component: "grafana",
        fixed: { "admin-user": "admin" },
        generated: ["admin-password"],
      });
    }

    new k8s.KubeConfigMap(this, "dashboards", {
      metadata: meta(grafana.dashboardsConfigMap, "grafana", { [DASHBOARD_LABEL]: "1" }),
      data: dashboardFiles(),
    });
    new k8s.KubeConfigMap(this, "datasources", {
      metadata: meta(grafana.datasourcesConfigMap, "grafana"),
      data: { "datasources.yaml": stringify(datasources(), { lineWidth: 0 }) },
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

    const admin = Secret.fromSecretName(this, "admin-secret", g.adminSecret);
    const reader = Secret.fromSecretName(this, "reader-secret", postgres.grafanaSecret);
    const configMap = (cmId: string, name: string) => ConfigMap.fromConfigMapName(this, cmId, name);
    const health = Probe.fromHttpGet("/api/health", { port: grafana.port });
    const podLabels = componentLabels("grafana", grafana.name);
    const deployment = new Deployment(this, "deployment", {
      metadata: meta(grafana.name, "grafana"),
      replicas: g.replicas,
      podMetadata: { labels: podLabels },
      securityContext: { ensureNonRoot: true, user: GRAFANA_UID, group: GRAFANA_UID, fsGroup: GRAFANA_UID },
      containers: [
        {
          name: "grafana",
          image: `grafana/grafana:${props.grafanaVersion}`,
          ports: [{ number: grafana.port, name: "http" }],
          envVariables: {
            GF_SECURITY_ADMIN_USER: EnvValue.fromSecretValue({ secret: admin, key: "admin-user" }),
            GF_SECURITY_ADMIN_PASSWORD: EnvValue.fromSecretValue({ secret: admin, key: "admin-password" }),
            GF_ANALYTICS_REPORTING_ENABLED: EnvValue.fromValue("false"),
            GF_ANALYTICS_CHECK_FOR_UPDATES: EnvValue.fromValue("false"),
            // The root filesystem is read-only: log to the console only.
            GF_LOG_MODE: EnvValue.fromValue("console"),
            LIVETALLY_PG_PASSWORD: EnvValue.fromSecretValue({ secret: reader, key: "password" }),
          },
          securityContext: { ...restrictedContainer, user: GRAFANA_UID, group: GRAFANA_UID },
          volumeMounts: [
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
          liveness: health,
          readiness: health,
        },
      ],
    });
    workloadResources(deployment, [g.resources]);
    new Service(this, "service", {
      metadata: meta(grafana.name, "grafana"),
      type: g.serviceType === "NodePort" ? ServiceType.NODE_PORT : ServiceType.CLUSTER_IP,
      selector: deployment,
      ports: [
        {
          name: "http",
          port: grafana.port,
          targetPort: grafana.port,
          ...(g.serviceType === "NodePort" ? { nodePort: grafana.nodePort } : {}),
        },
      ],
    });
  }
}

function datasources() {
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
        // Grafana expands environment variables in provisioning files.
        secureJsonData: { password: "$LIVETALLY_PG_PASSWORD" },
        isDefault: true,
      },
      {
        name: "Prometheus",
        uid: "prometheus",
        type: "prometheus",
        url: grafana.prometheusUrl,
      },
    ],
  };
}
