import { join } from "node:path";
import { repoRoot, versions, type Versions } from "../../versions.js";
import type { K8sObject } from "../app.js";
import type { PlatformConfig } from "../config.js";
import { dockerBuild, imageBuilds } from "../images.js";
import { NAMESPACE, grafana, operatorNamespaces } from "../names.js";

/** One command of `make kind-up`; a step with `unless` runs only when that check fails. */
export interface Step {
  readonly title: string;
  readonly command: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** A check whose success means the step's work is already done (idempotence). */
  readonly unless?: readonly string[];
}

export const CLUSTER = "livetally";
const CONTEXT = `kind-${CLUSTER}`;
const bin = (tool: string) => join(repoRoot, "bin", tool);

/** kind's node image for the Kubernetes version kubectl is pinned to. */
export function nodeImage(v: Versions): string {
  return `kindest/node:${v.KUBECTL_VERSION}`;
}

/** The kind cluster: one node, Grafana's NodePort reachable on the host. */
export function kindClusterConfig(v: Versions): string {
  return [
    "kind: Cluster",
    "apiVersion: kind.x-k8s.io/v1alpha4",
    "nodes:",
    "  - role: control-plane",
    `    image: ${nodeImage(v)}`,
    "    extraPortMappings:",
    `      - containerPort: ${grafana.nodePort}`,
    `        hostPort: ${grafana.port}`,
    "        protocol: TCP",
    "",
  ].join("\n");
}

function toolSteps(v: Versions): Step[] {
  return [
    {
      title: `kind ${v.KIND_VERSION} into ./bin`,
      command: ["go", "install", `sigs.k8s.io/kind@${v.KIND_VERSION}`],
      env: { GOBIN: join(repoRoot, "bin"), GOFLAGS: "-mod=mod" },
      unless: ["bash", "-c", `${bin("kind")} version 2>/dev/null | grep -q ' ${v.KIND_VERSION} '`],
    },
    {
      title: `kubectl ${v.KUBECTL_VERSION} into ./bin`,
      command: ["make", "--no-print-directory", "kubectl"],
    },
    { title: `helm ${v.HELM_VERSION} into ./bin`, command: ["make", "--no-print-directory", "helm"] },
  ];
}

/** An operator's official chart, installed or upgraded in place at its pinned version. */
function chart(
  title: string,
  release: string,
  ref: string,
  version: string,
  namespace: string,
  settings: readonly string[] = [],
  repo?: string,
): Step {
  return {
    title,
    command: [
      bin("helm"),
      "upgrade",
      "--install",
      release,
      ref,
      ...(repo ? ["--repo", repo] : []),
      "--version",
      version,
      "--namespace",
      namespace,
      "--create-namespace",
      "--kube-context",
      CONTEXT,
      ...settings.flatMap((s) => ["--set", s]),
      "--wait",
      "--timeout",
      "10m",
    ],
  };
}

function operatorSteps(v: Versions): Step[] {
  const watch = `watchNamespaces={${NAMESPACE}}`;
  return [
    chart(
      `cert-manager ${v.CERT_MANAGER_VERSION} (the Flink operator's webhook needs it)`,
      "cert-manager",
      "oci://quay.io/jetstack/charts/cert-manager",
      v.CERT_MANAGER_VERSION,
      "cert-manager",
      ["crds.enabled=true"],
    ),
    chart(
      `Prometheus (kube-prometheus-stack ${v.KUBE_PROMETHEUS_STACK_VERSION})`,
      "kube-prometheus-stack",
      "kube-prometheus-stack",
      v.KUBE_PROMETHEUS_STACK_VERSION,
      operatorNamespaces.monitoring,
      [
        // livetally brings its own Grafana; Prometheus picks up every PodMonitor, not only its release's.
        "grafana.enabled=false",
        "alertmanager.enabled=false",
        "prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues=false",
        "prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues=false",
      ],
      "https://prometheus-community.github.io/helm-charts",
    ),
    chart(
      `Strimzi ${v.STRIMZI_VERSION}`,
      "strimzi",
      "oci://quay.io/strimzi-helm/strimzi-kafka-operator",
      v.STRIMZI_VERSION,
      operatorNamespaces.strimzi,
      [watch],
    ),
    chart(
      `CloudNativePG ${v.CLOUDNATIVEPG_VERSION} (chart ${v.CLOUDNATIVEPG_CHART_VERSION})`,
      "cnpg",
      "cloudnative-pg",
      v.CLOUDNATIVEPG_CHART_VERSION,
      operatorNamespaces.cnpg,
      [],
      "https://cloudnative-pg.github.io/charts",
    ),
    chart(
      `Flink Kubernetes Operator ${v.FLINK_OPERATOR_VERSION}`,
      "flink-kubernetes-operator",
      "flink-kubernetes-operator",
      v.FLINK_OPERATOR_VERSION,
      operatorNamespaces.flink,
      [watch],
      `https://archive.apache.org/dist/flink/flink-kubernetes-operator-${v.FLINK_OPERATOR_VERSION}/`,
    ),
  ];
}

const kubectl = (...args: string[]) => [
  bin("kubectl"),
  "--context",
  CONTEXT,
  "--namespace",
  NAMESPACE,
  ...args,
];

/** What the platform is ready for, resource by resource, in the order it comes up. */
export function readinessSteps(objects: readonly K8sObject[]): Step[] {
  const waits: Step[] = [];
  const wait = (title: string, resource: string, condition: string, timeout = "15m") =>
    waits.push({ title, command: kubectl("wait", resource, `--for=${condition}`, `--timeout=${timeout}`) });
  const of = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
  for (const name of of("Cluster"))
    wait(`PostgreSQL ${name}`, `cluster.postgresql.cnpg.io/${name}`, "condition=Ready");
  for (const name of of("Kafka")) wait(`Kafka ${name}`, `kafka.kafka.strimzi.io/${name}`, "condition=Ready");
  for (const name of of("KafkaTopic"))
    wait(`topic ${name}`, `kafkatopic.kafka.strimzi.io/${name}`, "condition=Ready", "5m");
  for (const name of of("KafkaUser"))
    wait(`Kafka user ${name}`, `kafkauser.kafka.strimzi.io/${name}`, "condition=Ready", "5m");
  for (const name of of("Deployment")) {
    waits.push({
      title: `Deployment ${name}`,
      command: kubectl("rollout", "status", `deployment/${name}`, "--timeout=15m"),
    });
  }
  for (const name of of("Job")) wait(`Job ${name}`, `job/${name}`, "condition=Complete", "20m");
  for (const name of of("FlinkDeployment")) {
    wait(
      `Flink job ${name}`,
      `flinkdeployment.flink.apache.org/${name}`,
      "jsonpath={.status.jobStatus.state}=RUNNING",
    );
  }
  return waits.map((w, i) => ({ ...w, title: `ready ${i + 1}/${waits.length}: ${w.title}` }));
}

export interface KindUpOptions {
  readonly config: PlatformConfig;
  /** The platform the chart installs, without elections. */
  readonly objects: readonly K8sObject[];
  /** Where the kind cluster config is written. */
  readonly clusterConfigFile: string;
  /** The example Election applied once the platform is up, and the file it is written to. */
  readonly election: { readonly name: string; readonly file: string };
  /** What the controller makes of that Election (controlledObjects), to wait for. */
  readonly electionObjects: readonly K8sObject[];
}

/** Every command of `make kind-up`, in order. */
export function kindUpPlan(o: KindUpOptions): Step[] {
  const v = versions();
  const kind = bin("kind");
  const images = imageBuilds(o.config);
  return [
    { title: "Docker is running", command: ["docker", "info", "--format", "{{.ServerVersion}}"] },
    ...toolSteps(v),
    {
      title: `kind cluster ${CLUSTER} (Kubernetes ${v.KUBECTL_VERSION}, Grafana on localhost:${grafana.port})`,
      command: [
        kind,
        "create",
        "cluster",
        "--name",
        CLUSTER,
        "--config",
        o.clusterConfigFile,
        "--wait",
        "2m",
      ],
      unless: ["bash", "-c", `${kind} get clusters 2>/dev/null | grep -qx ${CLUSTER}`],
    },
    {
      title: `namespace ${NAMESPACE} (the operators watch it)`,
      command: [bin("kubectl"), "--context", CONTEXT, "create", "namespace", NAMESPACE],
      unless: [bin("kubectl"), "--context", CONTEXT, "get", "namespace", NAMESPACE],
    },
    ...operatorSteps(v),
    ...images.flatMap((b) => [
      { title: `image ${b.image}`, command: dockerBuild(b) },
      {
        title: `load ${b.image} into kind`,
        command: [kind, "load", "docker-image", b.image, "--name", CLUSTER],
      },
    ]),
    {
      // The platform alone: the election comes next, as an operations person brings one.
      title: "livetally from charts/livetally",
      command: [
        bin("helm"),
        "upgrade",
        "--install",
        "livetally",
        join(repoRoot, "charts", "livetally"),
        "--namespace",
        NAMESPACE,
        "--kube-context",
        CONTEXT,
        "--set",
        "elections={}",
      ],
    },
    ...readinessSteps(o.objects),
    { title: `the Election ${o.election.name}`, command: kubectl("apply", "--filename", o.election.file) },
    {
      title: `the controller applies ${o.election.name}'s objects`,
      command: kubectl(
        "wait",
        `election.livetally.io/${o.election.name}`,
        "--for=condition=Provisioned",
        "--timeout=5m",
      ),
    },
    ...readinessSteps(o.electionObjects).map((s) => ({ ...s, title: `${o.election.name} ${s.title}` })),
    { title: "kubectl get elections", command: kubectl("get", "elections") },
  ];
}

export function kindDownPlan(): Step[] {
  return [
    {
      title: `delete the kind cluster ${CLUSTER}`,
      command: [bin("kind"), "delete", "cluster", "--name", CLUSTER],
      unless: ["bash", "-c", `! ${bin("kind")} get clusters 2>/dev/null | grep -qx ${CLUSTER}`],
    },
  ];
}

/** How to read Grafana's credentials once the platform is up. */
export function grafanaCredentialCommand(
  config: PlatformConfig,
  key: "admin-user" | "admin-password",
): string[] {
  return kubectl("get", "secret", config.grafana.adminSecret, "-o", `jsonpath={.data.${key}}`);
}
