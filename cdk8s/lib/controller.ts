import { Construct } from "constructs";
import {
  ConfigMap,
  Deployment,
  Env,
  EnvFieldPaths,
  EnvValue,
  Probe,
  ServiceAccount,
  Volume,
  k8s,
  type ContainerProps,
} from "cdk8s-plus-33";
import {
  KafkaUser,
  KafkaUserSpecAuthenticationType,
  KafkaUserSpecAuthorizationAclsOperations as Op,
  KafkaUserSpecAuthorizationAclsResourcePatternType as Pattern,
  KafkaUserSpecAuthorizationAclsResourceType as Resource,
  KafkaUserSpecAuthorizationType,
} from "../imports/kafka.strimzi.io.js";
import { electionResource } from "../../schemas/election/resource.js";
import type { ContainerResources, Profile, PullPolicy } from "../config.js";
import { controller, kafka, kafkaUserSecretKeys, labels, postgres, services } from "../names.js";
import { DisruptionBudget } from "./disruption-budget.js";
import { componentLabels, meta } from "./meta.js";
import { secretFiles } from "./secret-files.js";
import { restrictedContainer, restrictedPodSecurity } from "./security.js";
import { workloadResources } from "./service-container.js";

/**
 * What the platform was built with that an election's objects depend on, beside the chart's values:
 * the profile the values apply to, the Flink release of the tally image and the SQL scripts it runs.
 */
export interface PlatformBuild {
  readonly profile: Profile;
  readonly flinkVersion: string;
  readonly sqlScripts: readonly string[];
}

export interface ControllerWorkloadProps {
  /** registry/livetally-services:tag: the services image runs the controller too. */
  readonly image: string;
  readonly imagePullPolicy: PullPolicy;
  /** @default 1 */
  readonly replicas?: number;
  readonly resources: ContainerResources;
  /** The chart's values the platform was configured with (cdk8s/helm/values.ts), as JSON. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly build: PlatformBuild;
  /** A PodDisruptionBudget, so that a node drain takes one replica at a time. @default false */
  readonly disruptionBudget?: boolean;
}

/** Every kind an election owns, and the verbs the controller needs on it: it applies, watches, and deletes a few. */
const OWNED: readonly { apiGroup: string; resources: string[]; deletes: boolean }[] = [
  { apiGroup: "", resources: ["configmaps", "persistentvolumeclaims"], deletes: false },
  // The registration Job is replaced when its template changes; workloads are stopped before data goes.
  { apiGroup: "batch", resources: ["jobs"], deletes: true },
  { apiGroup: "apps", resources: ["deployments"], deletes: true },
  { apiGroup: "policy", resources: ["poddisruptionbudgets"], deletes: false },
  { apiGroup: "kafka.strimzi.io", resources: ["kafkatopics"], deletes: true },
  { apiGroup: "kafka.strimzi.io", resources: ["kafkausers"], deletes: false },
  { apiGroup: "flink.apache.org", resources: ["flinkdeployments"], deletes: true },
];

/**
 * The RBAC rules of the controller, in its namespace only, each for what it does (no wildcard):
 * Elections it watches, finalizes (a server-side apply of metadata.finalizers) and writes the status
 * of; the kinds an election owns, which it applies server-side (create and patch) and watches;
 * its Lease; the Events it records. The garbage collector deletes the rest of a deleted Election.
 */
export function controllerRules(): k8s.PolicyRule[] {
  const r = electionResource;
  return [
    { apiGroups: [r.group], resources: [r.plural], verbs: ["get", "list", "watch", "patch"] },
    { apiGroups: [r.group], resources: [`${r.plural}/status`], verbs: ["get", "update"] },
    // An owner reference that blocks its owner's deletion needs this where that is enforced.
    { apiGroups: [r.group], resources: [`${r.plural}/finalizers`], verbs: ["update"] },
    ...OWNED.map((o) => ({
      apiGroups: [o.apiGroup],
      resources: o.resources,
      verbs: ["get", "list", "watch", "create", "patch", ...(o.deletes ? ["delete"] : [])],
    })),
    { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
    {
      apiGroups: ["coordination.k8s.io"],
      resources: ["leases"],
      resourceNames: [controller.name],
      verbs: ["get", "update"],
    },
    { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: ["create"] },
  ];
}

/**
 * The Election controller: its ServiceAccount and namespaced Role, the platform's settings it builds
 * elections with (a ConfigMap), its own Kafka principal (it reads the voting groups' offsets and
 * deletes a removed election's topics and groups, reading no record), and the Deployment, whose
 * replicas elect a leader through a Lease.
 */
export class ControllerWorkload extends Construct {
  constructor(scope: Construct, id: string, props: ControllerWorkloadProps) {
    super(scope, id);
    const own = (name: string) => meta(name, "controller");
    const account = new k8s.KubeServiceAccount(this, "account", {
      metadata: own(controller.name),
      automountServiceAccountToken: false,
    });
    new k8s.KubeRole(this, "role", { metadata: own(controller.name), rules: controllerRules() });
    new k8s.KubeRoleBinding(this, "binding", {
      metadata: own(controller.name),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: controller.name },
      subjects: [{ kind: "ServiceAccount", name: account.name, namespace: account.metadata.namespace }],
    });
    new k8s.KubeConfigMap(this, "platform", {
      metadata: own(controller.configMap),
      data: {
        [controller.valuesKey]: JSON.stringify(props.values),
        [controller.buildKey]: JSON.stringify(props.build),
      },
    });
    // Topics and groups come and go with elections, so their names cannot be listed: any may be
    // described (offsets) and deleted (a removed election's), none read or written.
    const any = (type: Resource, operations: Op[]) => ({
      resource: { type, name: "*", patternType: Pattern.LITERAL },
      operations,
    });
    new KafkaUser(this, "kafka-user", {
      metadata: meta(controller.name, "controller", { "strimzi.io/cluster": kafka.cluster }),
      spec: {
        authentication: { type: KafkaUserSpecAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512 },
        authorization: {
          type: KafkaUserSpecAuthorizationType.SIMPLE,
          acls: [
            any(Resource.TOPIC, [Op.DESCRIBE, Op.DELETE]),
            any(Resource.GROUP, [Op.DESCRIBE, Op.DELETE]),
          ],
        },
      },
    });

    const tmp = { path: "/tmp", volume: Volume.fromEmptyDir(this, "tmp", "tmp") };
    const platform = {
      path: controller.platformDir,
      readOnly: true,
      volume: Volume.fromConfigMap(
        this,
        "platform-volume",
        ConfigMap.fromConfigMapName(this, "platform-config", controller.configMap),
        { name: "platform" },
      ),
    };
    const reader = secretFiles(this, "database", postgres.controllerSecret);
    const owner = secretFiles(this, "owner-database", postgres.appSecret);
    const kafkaUser = secretFiles(this, "kafka", controller.name);
    const health = (path: string) => Probe.fromHttpGet(path, { port: controller.httpPort });
    const container: ContainerProps = {
      name: "controller",
      image: props.image,
      imagePullPolicy: props.imagePullPolicy as ContainerProps["imagePullPolicy"],
      command: ["node", "controller/main.js"],
      envFrom: [Env.fromConfigMap(ConfigMap.fromConfigMapName(this, "services-config", services.configMap))],
      envVariables: {
        WATCH_NAMESPACE: EnvValue.fromFieldRef(EnvFieldPaths.POD_NAMESPACE),
        POD_NAME: EnvValue.fromFieldRef(EnvFieldPaths.POD_NAME),
        PLATFORM_DIR: EnvValue.fromValue(controller.platformDir),
        DATABASE_URL: EnvValue.fromValue(
          `postgresql://${postgres.controllerRole}@${postgres.rwService}:${postgres.port}/${postgres.appDatabase}`,
        ),
        DATABASE_PASSWORD_FILE: EnvValue.fromValue(reader.file("password")),
        OWNER_DATABASE_URL_FILE: EnvValue.fromValue(owner.file("uri")),
        KAFKA_SASL_USERNAME: EnvValue.fromValue(controller.name),
        KAFKA_SASL_PASSWORD_FILE: EnvValue.fromValue(kafkaUser.file(kafkaUserSecretKeys.password)),
      },
      securityContext: restrictedContainer,
      ports: [{ number: controller.httpPort, name: "metrics" }],
      liveness: health("/healthz"),
      readiness: health("/readyz"),
      volumeMounts: [tmp, platform, reader.mount, owner.mount, kafkaUser.mount],
    };
    const deployment = new Deployment(this, "deployment", {
      metadata: own(controller.name),
      podMetadata: { labels: componentLabels("controller", controller.name) },
      replicas: props.replicas ?? 1,
      securityContext: restrictedPodSecurity,
      serviceAccount: ServiceAccount.fromServiceAccountName(this, "service-account", account.name),
      // The one pod of livetally's own that talks to the API: its token is mounted, no other's.
      automountServiceAccountToken: true,
      containers: [container],
    });
    // Replicas on different nodes, so that losing a node leaves a standby to take the Lease.
    deployment.scheduling.spread({ weight: 100 });
    workloadResources(deployment, [props.resources]);
    if (props.disruptionBudget ?? false) {
      new DisruptionBudget(this, "budget", {
        name: controller.name,
        component: "controller",
        podLabels: { [labels.name]: controller.name },
      });
    }
  }
}
