import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { repoRoot, versions, type Versions } from "../../versions.js";

/**
 * The upstream reference data (CRDs, Kubernetes schemas), never copied into the repository:
 * LIVETALLY_SHARED names its folder, `../shared` beside the checkout by default.
 */
export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.LIVETALLY_SHARED ? resolve(env.LIVETALLY_SHARED) : resolve(repoRoot, "..", "shared");
  if (!existsSync(join(dir, "crds")) || !existsSync(join(dir, "kubernetes-schemas"))) {
    throw new Error(
      `no CRDs and Kubernetes schemas under ${dir}: set LIVETALLY_SHARED to the folder holding crds/ and kubernetes-schemas/`,
    );
  }
  return dir;
}

/** One upstream file of the reference data: where it goes under the shared folder, where it comes from. */
export interface SharedFile {
  readonly path: string;
  readonly url: string;
}

const STRIMZI_CRDS = [
  "040-Crd-kafka",
  "041-Crd-kafkaconnect",
  "042-Crd-strimzipodset",
  "043-Crd-kafkatopic",
  "044-Crd-kafkauser",
  "045-Crd-kafkanodepool",
  "046-Crd-kafkabridge",
  "047-Crd-kafkaconnector",
  "048-Crd-kafkamirrormaker2",
  "049-Crd-kafkarebalance",
];
const CNPG_CRDS = [
  "backups",
  "clusterimagecatalogs",
  "clusters",
  "databaseroles",
  "databases",
  "failoverquorums",
  "imagecatalogs",
  "poolers",
  "publications",
  "scheduledbackups",
  "subscriptions",
];
const FLINK_CRDS = [
  "flinkbluegreendeployments",
  "flinkdeployments",
  "flinksessionjobs",
  "flinkstatesnapshots",
];
const PROMETHEUS_CRDS = ["podmonitors", "prometheusrules", "servicemonitors"];

/** The pinned upstream files, from each project's release tag, for a user outside this workplace. */
export function sharedFiles(v: Versions = versions()): SharedFile[] {
  const raw = "https://raw.githubusercontent.com";
  return [
    ...STRIMZI_CRDS.map((name) => ({
      path: `crds/strimzi-${v.STRIMZI_VERSION}/${name}.yaml`,
      url: `${raw}/strimzi/strimzi-kafka-operator/${v.STRIMZI_VERSION}/packaging/install/cluster-operator/${name}.yaml`,
    })),
    ...CNPG_CRDS.map((name) => ({
      path: `crds/cloudnative-pg-${v.CLOUDNATIVEPG_VERSION}/postgresql.cnpg.io_${name}.yaml`,
      url: `${raw}/cloudnative-pg/cloudnative-pg/v${v.CLOUDNATIVEPG_VERSION}/config/crd/bases/postgresql.cnpg.io_${name}.yaml`,
    })),
    ...FLINK_CRDS.map((name) => ({
      path: `crds/flink-kubernetes-operator-${v.FLINK_OPERATOR_VERSION}/${name}.flink.apache.org-v1.yml`,
      url: `${raw}/apache/flink-kubernetes-operator/release-${v.FLINK_OPERATOR_VERSION}/helm/flink-kubernetes-operator/crds/${name}.flink.apache.org-v1.yml`,
    })),
    ...PROMETHEUS_CRDS.map((name) => ({
      path: `crds/prometheus-operator-${v.PROMETHEUS_OPERATOR_VERSION}/monitoring.coreos.com_${name}.yaml`,
      url: `${raw}/prometheus-operator/prometheus-operator/v${v.PROMETHEUS_OPERATOR_VERSION}/example/prometheus-operator-crd/monitoring.coreos.com_${name}.yaml`,
    })),
    {
      path: `kubernetes-schemas/${v.KUBERNETES_SCHEMA_VERSION}/_definitions.json`,
      url: `${raw}/cdk8s-team/cdk8s/master/kubernetes-schemas/${v.KUBERNETES_SCHEMA_VERSION}/_definitions.json`,
    },
  ];
}
