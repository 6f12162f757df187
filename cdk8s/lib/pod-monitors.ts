import { Construct } from "constructs";
import { PodMonitor } from "../imports/monitoring.coreos.com.js";
import { controller, flink, grafana, kafka, labels, postgres, registry } from "../names.js";
import { meta } from "./meta.js";

interface Scrape {
  readonly name: string;
  readonly selector: Record<string, string>;
  readonly port: string;
  readonly path?: string;
}

/** What Prometheus scrapes: each party's pods by their owners' labels, on the named metrics port. */
const scrapes: readonly Scrape[] = [
  // The registration Job and the voting Deployment, on the services' `metrics` port.
  { name: "livetally-services", selector: { [labels.component]: "services" }, port: "metrics" },
  { name: "livetally-kafka", selector: { "strimzi.io/cluster": kafka.cluster }, port: "tcp-prometheus" },
  { name: "livetally-postgres", selector: { "cnpg.io/cluster": postgres.cluster }, port: "metrics" },
  { name: "livetally-flink", selector: { [labels.name]: flink.name }, port: "metrics" },
  {
    name: "livetally-registry",
    selector: { [labels.name]: registry.name },
    port: "management",
    path: "/metrics",
  },
  { name: "livetally-grafana", selector: { [labels.name]: grafana.name }, port: "http" },
  // The controller's reconciles, queue, errors and which replica leads.
  { name: "livetally-controller", selector: { [labels.name]: controller.name }, port: "metrics" },
];

/** One PodMonitor per party, for a Prometheus Operator (kube-prometheus-stack in `make kind-up`). */
export class PodMonitors extends Construct {
  constructor(scope: Construct, id: string, props: { readonly grafana: boolean }) {
    super(scope, id);
    for (const s of scrapes) {
      if (s.name === "livetally-grafana" && !props.grafana) continue;
      new PodMonitor(this, s.name, {
        metadata: meta(s.name, s.name === "livetally-grafana" ? "grafana" : "monitoring"),
        spec: {
          selector: { matchLabels: s.selector },
          podMetricsEndpoints: [{ port: s.port, path: s.path ?? "/metrics", interval: "15s" }],
        },
      });
    }
  }
}
