import { Construct } from "constructs";
import { k8s } from "cdk8s-plus-33";
import {
  FlinkDeployment,
  FlinkDeploymentSpecFlinkVersion,
  FlinkDeploymentSpecJobState,
  FlinkDeploymentSpecJobUpgradeMode,
  FlinkDeploymentSpecMode,
} from "../imports/flink.apache.org.js";
import type { FlinkProcess, PullPolicy } from "../config.js";
import { electionJdbcUrl, electionSqlEnvironment } from "../../flink-sql/job.js";
import { electionNames } from "../../schemas/election/names.js";
import {
  electionObjectNames,
  flink,
  kafkaBootstrapServers,
  kafkaUserSecretKeys,
  labels,
  postgres,
  schemaRegistryUrl,
} from "../names.js";
import { meta } from "./meta.js";
import { secretFilesJson } from "./secret-files.js";
import { restrictedContainerJson, restrictedPodJson } from "./security.js";

/**
 * The flink user of the official Flink images, not one above 10000: the image's entrypoint rewrites
 * /opt/flink/conf, which belongs to that user.
 */
const FLINK_UID = 9999;

export interface FlinkJobProps {
  /** The election the job tallies: its topics, group, schema, principal and volume are its own. */
  readonly election: string;
  /** The livetally-flink image: Flink with the SQL runner and the SQL scripts. */
  readonly image: string;
  readonly imagePullPolicy: PullPolicy;
  /** The Flink release of the image (FLINK_VERSION), such as 2.0.0. */
  readonly flinkVersion: string;
  /** File names of the SQL scripts, in the order the runner executes them; the image holds them in flink.sqlDir. */
  readonly sqlScripts: readonly string[];
  /** @default 1 */
  readonly parallelism?: number;
  /** @default 1 */
  readonly slotsPerTaskManager?: number;
  readonly jobManager: FlinkProcess;
  readonly taskManager: FlinkProcess;
  /** Size of the volume holding checkpoints, savepoints and HA metadata. */
  readonly checkpointStorage: string;
  /** @default "ReadWriteOnce" */
  readonly checkpointAccessMode?: "ReadWriteOnce" | "ReadWriteMany";
  /** How often the job checkpoints. */
  readonly checkpointIntervalMs: number;
}

/**
 * An election's tally job: a FlinkDeployment in application mode running the SQL runner over the SQL
 * scripts with the election's placeholders, with checkpoints, savepoints and HA metadata on a
 * PersistentVolumeClaim of its own (HA's cluster-id is the FlinkDeployment's name, the election's too).
 */
export class FlinkJob extends Construct {
  constructor(scope: Construct, id: string, props: FlinkJobProps) {
    super(scope, id);
    const names = electionNames(props.election);
    const objects = electionObjectNames(props.election);
    const own = { [labels.instance]: props.election };
    new k8s.KubePersistentVolumeClaim(this, "checkpoints", {
      metadata: meta(objects.checkpointClaim, "flink", own),
      spec: {
        accessModes: [props.checkpointAccessMode ?? "ReadWriteOnce"],
        resources: { requests: { storage: k8s.Quantity.fromString(props.checkpointStorage) } },
      },
    });

    // The SQL runner fills ${NAME} from the file NAME_FILE names: the credentials stay files.
    const kafkaUser = secretFilesJson("kafka", objects.kafkaUsers.flink);
    const database = secretFilesJson("database", postgres.appSecret);
    const value = (name: string, v: string) => ({ name, value: v });
    const data = (path: string) => `file://${flink.checkpointDir}/${path}`;

    new FlinkDeployment(this, "deployment", {
      metadata: meta(objects.tally, "flink", own),
      spec: {
        image: props.image,
        imagePullPolicy: props.imagePullPolicy,
        flinkVersion: flinkVersionEnum(props.flinkVersion),
        mode: FlinkDeploymentSpecMode.NATIVE,
        serviceAccount: flink.serviceAccount,
        flinkConfiguration: {
          "taskmanager.numberOfTaskSlots": String(props.slotsPerTaskManager ?? 1),
          "state.backend.type": "rocksdb",
          "execution.checkpointing.dir": data("checkpoints"),
          "execution.checkpointing.savepoint-dir": data("savepoints"),
          "high-availability.type": "kubernetes",
          "high-availability.storageDir": data("ha"),
          "metrics.reporter.prom.factory.class":
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
          "metrics.reporter.prom.port": String(flink.metricsPort),
        },
        jobManager: { replicas: 1, resource: props.jobManager },
        taskManager: { resource: props.taskManager },
        podTemplate: {
          // The operator labels the pods app=<FlinkDeployment>; these say what they are for every
          // election alike (NetworkPolicies, PodMonitors) and whose.
          metadata: { labels: { [labels.name]: flink.name, ...own } },
          spec: {
            securityContext: restrictedPodJson(FLINK_UID),
            containers: [
              {
                // The operator merges this into the JobManager and TaskManager containers.
                name: "flink-main-container",
                // The image's entrypoint rewrites conf/ at start, so the root filesystem stays writable.
                securityContext: restrictedContainerJson(FLINK_UID, false),
                ports: [{ name: "metrics", containerPort: flink.metricsPort }],
                env: [
                  value("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers),
                  value("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT"),
                  value("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
                  value("KAFKA_PASSWORD_FILE", kafkaUser.file(kafkaUserSecretKeys.password)),
                  // Strimzi's ready-made sasl.jaas.config names Kafka's login module; the SQL Kafka
                  // connector relocates Kafka's classes, so the JAAS line is built here. The runner
                  // fills the ${KAFKA_PASSWORD} in it from the file above.
                  value(
                    "KAFKA_SASL_JAAS_CONFIG",
                    scramJaasConfig(objects.kafkaUsers.flink, "${KAFKA_PASSWORD}"),
                  ),
                  value("SCHEMA_REGISTRY_URL", schemaRegistryUrl),
                  value(
                    "JDBC_URL",
                    electionJdbcUrl(
                      `jdbc:postgresql://${postgres.rwService}:${postgres.port}/${postgres.appDatabase}`,
                      names,
                    ),
                  ),
                  // CloudNativePG's app Secret holds the owner's name and password.
                  value("JDBC_USER", postgres.appOwner),
                  value("JDBC_PASSWORD_FILE", database.file("password")),
                  value("FLINK_CHECKPOINT_INTERVAL", `${props.checkpointIntervalMs} ms`),
                  ...Object.entries(electionSqlEnvironment(names)).map(([k, v]) => value(k, v)),
                ],
                volumeMounts: [
                  { name: "flink-data", mountPath: flink.checkpointDir },
                  kafkaUser.mount,
                  database.mount,
                ],
              },
            ],
            volumes: [
              { name: "flink-data", persistentVolumeClaim: { claimName: objects.checkpointClaim } },
              kafkaUser.volume,
              database.volume,
            ],
          },
        },
        job: {
          jarUri: flink.jarUri,
          entryClass: flink.entryClass,
          args: props.sqlScripts.map((name) => `${flink.sqlDir}/${name}`),
          parallelism: props.parallelism ?? 1,
          upgradeMode: FlinkDeploymentSpecJobUpgradeMode.LAST_HYPHEN_STATE,
          state: FlinkDeploymentSpecJobState.RUNNING,
        },
      },
    });
  }
}

/**
 * The JobManagers' ServiceAccount, bound to exactly the calls they make (flinkRoleRules): one for
 * every election's tally job, which the platform installs.
 */
export class FlinkServiceAccount extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new k8s.KubeServiceAccount(this, "service-account", {
      metadata: meta(flink.serviceAccount, "flink"),
    });
    new k8s.KubeRole(this, "role", {
      metadata: meta(flink.serviceAccount, "flink"),
      rules: flinkRoleRules,
    });
    new k8s.KubeRoleBinding(this, "role-binding", {
      metadata: meta(flink.serviceAccount, "flink"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: flink.serviceAccount },
      subjects: [{ kind: "ServiceAccount", name: flink.serviceAccount }],
    });
  }
}

/**
 * What the JobManager of a native-mode application cluster with Kubernetes HA calls, and nothing
 * else; the operator creates the JobManager's Deployment and Services with its own account.
 * - pods: create, delete, get, list, watch — it starts and stops TaskManager pods, lists them to
 *   recover its workers after a failover and watches them for exits.
 * - configmaps: create, get, list, watch, update, delete, deletecollection — leader election and
 *   HA metadata (created, read, replaced under a resource version), the TaskManagers' leader
 *   retrieval (an informer: list and watch), and clean-up when the job ends (one ConfigMap, and
 *   all of the cluster's by label, which the client sends as one collection delete).
 * - apps deployments: get, delete — it reads its own Deployment's uid to make it the owner of the
 *   TaskManager pods, and deletes it when the application finishes or is cancelled.
 * - apps deployments/finalizers: update — the owner reference blocks the owner's deletion, which
 *   clusters enforcing OwnerReferencesPermissionEnforcement allow only with this verb.
 * No services: the JobManager only updates its Service with host networking, which is off here.
 */
export const flinkRoleRules: k8s.PolicyRule[] = [
  { apiGroups: [""], resources: ["pods"], verbs: ["create", "delete", "get", "list", "watch"] },
  {
    apiGroups: [""],
    resources: ["configmaps"],
    verbs: ["create", "get", "list", "watch", "update", "delete", "deletecollection"],
  },
  { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "delete"] },
  { apiGroups: ["apps"], resources: ["deployments/finalizers"], verbs: ["update"] },
];

/** The JAAS line for SCRAM with the flink-sql-connector-kafka jar, whose Kafka classes are shaded. */
export function scramJaasConfig(username: string, password: string): string {
  return `org.apache.flink.kafka.shaded.org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`;
}

/** FLINK_VERSION 2.0.0 runs as the operator's `v2_0`. */
export function flinkVersionEnum(version: string): FlinkDeploymentSpecFlinkVersion {
  const [major, minor] = version.split(".");
  const wanted = `v${major}_${minor}`;
  const found = Object.values(FlinkDeploymentSpecFlinkVersion).find((v) => v === wanted);
  if (!found)
    throw new Error(`the Flink operator knows no flinkVersion ${wanted} (FLINK_VERSION=${version})`);
  return found;
}
