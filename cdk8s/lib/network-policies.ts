import { Construct } from "constructs";
import { k8s } from "cdk8s-plus-33";
import {
  controller,
  flink,
  grafana,
  kafka,
  labels,
  operatorNamespaces,
  postgres,
  registry,
  services,
} from "../names.js";
import { meta } from "./meta.js";

type Peer = k8s.NetworkPolicyPeer;
type Labels = Record<string, string>;

const pods = (matchLabels: Labels): Peer => ({ podSelector: { matchLabels } });
const namespace = (name: string): Peer => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
});
const tcp = (...ports: number[]): k8s.NetworkPolicyPort[] =>
  ports.map((p) => ({ protocol: "TCP", port: k8s.IntOrString.fromNumber(p) }));

/** The pods of each party to a flow, by the labels their owners put on them. */
const selectors = {
  kafka: { "strimzi.io/cluster": kafka.cluster },
  postgres: { "cnpg.io/cluster": postgres.cluster },
  registry: { [labels.name]: registry.name },
  flink: { [labels.name]: flink.name },
  grafana: { [labels.name]: grafana.name },
  registration: { [labels.name]: services.registration },
  voting: { [labels.name]: services.voting },
  controller: { [labels.name]: controller.name },
} as const;

type Party = keyof typeof selectors;

/** Who talks to whom, on which ports: the flows of the pipeline, and nothing else. */
const flows: readonly { from: readonly Party[]; to: Party; ports: readonly number[] }[] = [
  // Grafana streams the aggregated topics and reads their schemas (its Kafka data source). The
  // controller reads the voting groups' offsets, certifies from the ledger, and removes a deleted
  // election's topics, subjects and schema.
  { from: ["registration", "voting", "flink", "grafana", "controller"], to: "kafka", ports: [kafka.port] },
  {
    from: ["registration", "voting", "flink", "grafana", "controller"],
    to: "registry",
    ports: [registry.port],
  },
  {
    from: ["registration", "voting", "flink", "registry", "grafana", "controller"],
    to: "postgres",
    ports: [postgres.port],
  },
];

/** Metrics ports Prometheus scrapes, per party. */
const metricsPorts: Readonly<Record<Party, readonly number[]>> = {
  kafka: [kafka.metricsPort],
  postgres: [postgres.metricsPort],
  registry: [registry.managementPort],
  flink: [flink.metricsPort],
  grafana: [grafana.port],
  registration: [services.httpPort],
  voting: [services.httpPort],
  controller: [controller.httpPort],
};

/**
 * Default deny for the namespace, then one policy per party allowing exactly its flows: ingress
 * from its clients and Prometheus, egress to its servers and DNS. The operators' own traffic
 * (Strimzi, CloudNativePG, the Flink operator) is allowed where they need it.
 */
export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new k8s.KubeNetworkPolicy(this, "default-deny", {
      metadata: meta("default-deny", "network"),
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });
    new k8s.KubeNetworkPolicy(this, "dns", {
      metadata: meta("allow-dns", "network"),
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [namespace("kube-system")],
            ports: [
              { protocol: "UDP", port: k8s.IntOrString.fromNumber(53) },
              { protocol: "TCP", port: k8s.IntOrString.fromNumber(53) },
            ],
          },
        ],
      },
    });

    for (const party of Object.keys(selectors) as Party[]) {
      const ingress: k8s.NetworkPolicyIngressRule[] = [
        { from: [namespace(operatorNamespaces.monitoring)], ports: tcp(...metricsPorts[party]) },
      ];
      const egress: k8s.NetworkPolicyEgressRule[] = [];
      for (const flow of flows) {
        if (flow.to === party)
          ingress.push({ from: flow.from.map((p) => pods(selectors[p])), ports: tcp(...flow.ports) });
        if (flow.from.includes(party))
          egress.push({ to: [pods(selectors[flow.to])], ports: tcp(...flow.ports) });
      }
      const extra = operatorFlows[party];
      ingress.push(...(extra?.ingress ?? []));
      egress.push(...(extra?.egress ?? []));
      new k8s.KubeNetworkPolicy(this, party, {
        metadata: meta(`allow-${party}`, "network"),
        spec: {
          podSelector: { matchLabels: selectors[party] },
          policyTypes: ["Ingress", "Egress"],
          ingress,
          egress,
        },
      });
    }
  }
}

/**
 * The Kubernetes API has no pod labels to select; its address differs per cluster, so egress to it
 * is allowed by port alone, for the pods that watch or manage Kubernetes objects.
 */
const kubernetesApi: k8s.NetworkPolicyEgressRule = { ports: tcp(443, 6443) };

const operatorFlows: Partial<
  Record<Party, { ingress?: k8s.NetworkPolicyIngressRule[]; egress?: k8s.NetworkPolicyEgressRule[] }>
> = {
  // Strimzi writes its own ingress policies for the Kafka listeners; these add the brokers' and
  // controllers' traffic among themselves and the entity operator's API access.
  kafka: {
    ingress: [{ from: [pods(selectors.kafka)] }, { from: [namespace(operatorNamespaces.strimzi)] }],
    egress: [{ to: [pods(selectors.kafka)] }, kubernetesApi],
  },
  // Replication among instances, the operator's status checks, the instance manager's API access.
  postgres: {
    ingress: [
      { from: [pods(selectors.postgres)], ports: tcp(postgres.port) },
      { from: [namespace(operatorNamespaces.cnpg)], ports: tcp(8000, postgres.port) },
    ],
    egress: [{ to: [pods(selectors.postgres)], ports: tcp(postgres.port) }, kubernetesApi],
  },
  // The JobManager and TaskManagers talk among themselves (RPC, blob server, REST) and to the API
  // for TaskManager pods and HA; the operator reaches the JobManager's REST API.
  flink: {
    ingress: [
      { from: [pods(selectors.flink)] },
      { from: [namespace(operatorNamespaces.flink)], ports: tcp(flink.restPort) },
    ],
    egress: [{ to: [pods(selectors.flink)] }, kubernetesApi],
  },
  // The controller watches Elections and applies their objects.
  controller: { egress: [kubernetesApi] },
  // People reach Grafana from outside the namespace; it queries Prometheus in the monitoring namespace.
  grafana: {
    ingress: [{ ports: tcp(grafana.port) }],
    egress: [{ to: [namespace(operatorNamespaces.monitoring)], ports: tcp(9090) }],
  },
};
