import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { readElectionFile, requireElection } from "../../schemas/election/load.js";
import { repoRoot } from "../../versions.js";
import { clusterObjects, electionObjects, type K8sObject } from "../app.js";
import { platformConfig } from "../config.js";
import { NAMESPACE, electionObjectNames, operatorNamespaces } from "../names.js";

type Labels = Record<string, string>;
interface Pod {
  readonly namespace: string;
  readonly labels: Labels;
}
interface Peer {
  podSelector?: { matchLabels?: Labels };
  namespaceSelector?: { matchLabels?: Labels };
}
/** Ports are numbers here, as the synthesized IntOrString values are. */
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port?: number }[];
}
interface Policy {
  metadata: { namespace: string };
  spec: { podSelector: { matchLabels?: Labels }; policyTypes: string[]; ingress?: Rule[]; egress?: Rule[] };
}

const matches = (selector: Labels | undefined, labels: Labels) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

/** Whether one rule admits a peer pod on a port, as Kubernetes evaluates NetworkPolicy rules. */
function admits(
  rule: Rule,
  peers: Peer[] | undefined,
  policyNamespace: string,
  peer: Pod,
  port: number,
): boolean {
  const portOk = !rule.ports || rule.ports.some((p) => p.port === undefined || p.port === port);
  const peerOk =
    !peers ||
    peers.some((p) => {
      const nsOk = p.namespaceSelector
        ? matches(p.namespaceSelector.matchLabels, { "kubernetes.io/metadata.name": peer.namespace })
        : peer.namespace === policyNamespace;
      return nsOk && (!p.podSelector || matches(p.podSelector.matchLabels, peer.labels));
    });
  return portOk && peerOk;
}

/** Whether traffic from one pod to another on a TCP port gets through every policy that applies. */
function allowed(policies: Policy[], from: Pod, to: Pod, port: number): boolean {
  const applying = (pod: Pod, type: string) =>
    policies.filter(
      (p) =>
        p.metadata.namespace === pod.namespace &&
        p.spec.policyTypes.includes(type) &&
        matches(p.spec.podSelector.matchLabels, pod.labels),
    );
  const egress = applying(from, "Egress");
  const ingress = applying(to, "Ingress");
  const out =
    egress.length === 0 ||
    egress.some((p) => (p.spec.egress ?? []).some((r) => admits(r, r.to, p.metadata.namespace, to, port)));
  const inn =
    ingress.length === 0 ||
    ingress.some((p) =>
      (p.spec.ingress ?? []).some((r) => admits(r, r.from, p.metadata.namespace, from, port)),
    );
  return out && inn;
}

const config = platformConfig("production");
// The platform with its default election, and a second election installed beside it.
const councilFile = join(repoRoot, "elections", "city-council.yaml");
const council = requireElection(readElectionFile(councilFile), councilFile);
const objects: K8sObject[] = [...clusterObjects(config), ...electionObjects(config, council)];
const policies = objects.filter((o) => o.kind === "NetworkPolicy") as unknown as Policy[];
const podLabels = (kind: string, name: string): Labels => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name) as unknown as {
    spec: { template?: { metadata: { labels: Labels } }; podTemplate?: { metadata: { labels: Labels } } };
  };
  return (o.spec.template ?? o.spec.podTemplate)?.metadata.labels ?? {};
};

const pod = (labels: Labels, namespace: string = NAMESPACE): Pod => ({ namespace, labels });
/** An election's pods: the Flink operator adds app and component to the FlinkDeployment's pod labels. */
const electionPods = (election: string) => {
  const names = electionObjectNames(election);
  const flink = (component: string) =>
    pod({ ...podLabels("FlinkDeployment", names.tally), app: names.tally, component });
  return {
    voting: pod(podLabels("Deployment", names.voting)),
    registration: pod(podLabels("Job", names.registration)),
    jobManager: flink("jobmanager"),
    taskManager: flink("taskmanager"),
  };
};
const { voting, registration, jobManager, taskManager } = electionPods("general-2026");
const other = electionPods(council.metadata.name);
const registry = pod(podLabels("Deployment", "livetally-registry"));
const grafana = pod(podLabels("Deployment", "livetally-grafana"));
const controller = pod(podLabels("Deployment", "livetally-controller"));
const kafka = pod({ "strimzi.io/cluster": "livetally", "strimzi.io/pool-name": "brokers" });
const postgres = pod({ "cnpg.io/cluster": "livetally-pg" });
const prometheus = pod({ "app.kubernetes.io/name": "prometheus" }, operatorNamespaces.monitoring);
const flinkOperator = pod({ app: "flink-kubernetes-operator" }, operatorNamespaces.flink);
const stranger = pod({ app: "something-else" });

describe("NetworkPolicies", () => {
  it.each([
    ["voting -> Kafka", voting, kafka, 9092],
    ["voting -> registry", voting, registry, 8080],
    ["voting -> PostgreSQL", voting, postgres, 5432],
    ["registration -> Kafka", registration, kafka, 9092],
    ["registration -> PostgreSQL (setup)", registration, postgres, 5432],
    ["registry -> PostgreSQL", registry, postgres, 5432],
    ["TaskManager -> Kafka", taskManager, kafka, 9092],
    ["TaskManager -> registry", taskManager, registry, 8080],
    ["TaskManager -> PostgreSQL", taskManager, postgres, 5432],
    ["TaskManager -> JobManager", taskManager, jobManager, 6123],
    ["Flink operator -> JobManager REST", flinkOperator, jobManager, 8081],
    ["Grafana -> PostgreSQL", grafana, postgres, 5432],
    ["Prometheus -> voting metrics", prometheus, voting, 9464],
    ["Prometheus -> Kafka metrics", prometheus, kafka, 9404],
    ["Prometheus -> PostgreSQL metrics", prometheus, postgres, 9187],
    ["Prometheus -> Flink metrics", prometheus, taskManager, 9249],
    ["Kafka -> Kafka (replication)", kafka, kafka, 9091],
    ["another election's voting -> Kafka", other.voting, kafka, 9092],
    ["another election's voting -> PostgreSQL", other.voting, postgres, 5432],
    ["another election's registration -> registry", other.registration, registry, 8080],
    ["another election's TaskManager -> Kafka", other.taskManager, kafka, 9092],
    ["another election's TaskManager -> its JobManager", other.taskManager, other.jobManager, 6123],
    ["Flink operator -> another election's JobManager REST", flinkOperator, other.jobManager, 8081],
    ["Prometheus -> another election's voting metrics", prometheus, other.voting, 9464],
    ["Grafana -> Kafka (its Kafka data source)", grafana, kafka, 9092],
    ["Grafana -> registry (the data source's Avro schemas)", grafana, registry, 8080],
    ["controller -> Kafka (offsets, a removed election's topics)", controller, kafka, 9092],
    ["controller -> registry (a removed election's subjects)", controller, registry, 8080],
    ["controller -> PostgreSQL (status, certification)", controller, postgres, 5432],
    ["controller -> the Kubernetes API", controller, pod({}, "default"), 443],
    ["Prometheus -> controller metrics", prometheus, controller, 9464],
  ] as const)("allow %s", (_name, from, to, port) => {
    expect(allowed(policies, from, to, port)).toBe(true);
  });

  it.each([
    ["Grafana -> Kafka on another port (replication)", grafana, kafka, 9091],
    ["Grafana -> Kafka's controller port", grafana, kafka, 9093],
    ["Grafana -> registry management", grafana, registry, 9000],
    ["Grafana -> JobManager REST", grafana, jobManager, 8081],
    ["Grafana -> another election's TaskManager", grafana, other.taskManager, 6123],
    ["Grafana -> voting", grafana, voting, 9464],
    ["Grafana -> the Kubernetes API", grafana, stranger, 443],
    ["Grafana -> the internet", grafana, pod({}, "elsewhere"), 443],
    ["Kafka -> Grafana", kafka, grafana, 3000],
    ["registry -> Grafana", registry, grafana, 3000],
    ["an unknown pod -> registry", stranger, registry, 8080],
    ["registry -> Kafka", registry, kafka, 9092],
    ["voting -> Flink", voting, jobManager, 8081],
    ["an unknown pod -> PostgreSQL", stranger, postgres, 5432],
    ["an unknown pod -> Kafka", stranger, kafka, 9092],
    ["voting -> PostgreSQL on another port", voting, postgres, 8000],
    ["voting -> Grafana", voting, grafana, 3000],
    ["another election's voting -> Flink", other.voting, other.jobManager, 8081],
    ["controller -> voting", controller, voting, 9464],
    ["controller -> JobManager REST", controller, jobManager, 8081],
    ["controller -> Kafka's replication port", controller, kafka, 9091],
    ["an unknown pod -> controller", stranger, controller, 9464],
    ["Grafana -> controller", grafana, controller, 9464],
  ] as const)("deny %s", (_name, from, to, port) => {
    expect(allowed(policies, from, to, port)).toBe(false);
  });
});
