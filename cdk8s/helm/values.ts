import type { PlatformConfig } from "../config.js";

type Schema = Record<string, unknown>;

/** A field of the typed configuration that the chart exposes as a value, with what may go in it. */
export interface ChartValue {
  readonly path: string;
  readonly description: string;
  readonly schema: Schema;
}

const quantity = (what: string): Schema => ({
  type: "string",
  pattern: "^[0-9]+(\\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$",
  description: `${what}, a Kubernetes quantity such as 512Mi or 10Gi`,
});
const count = (min: number): Schema => ({ type: "integer", minimum: min });
const cpuQuantity: Schema = { type: "string", pattern: "^[0-9]+(\\.[0-9]+)?m?$" };
/**
 * A container's requests (cpu and memory required) and limits (memory required; cpu allowed, and set on
 * purpose nowhere), with its scratch space (ephemeral-storage) when livetally defines its pod.
 */
function resourcesSchema(withScratch: boolean): Schema {
  const side = (which: "request" | "limit", required: string[]): Schema => ({
    type: "object",
    additionalProperties: false,
    required: withScratch ? [...required, "ephemeral-storage"] : required,
    properties: {
      cpu: cpuQuantity,
      memory: quantity(`memory ${which}`),
      ...(withScratch ? { "ephemeral-storage": quantity(`ephemeral-storage ${which}`) } : {}),
    },
  });
  return {
    type: "object",
    additionalProperties: false,
    required: ["requests", "limits"],
    properties: { requests: side("request", ["cpu", "memory"]), limits: side("limit", ["memory"]) },
  };
}
/** The resources of the operators' pods (Kafka, PostgreSQL). */
const resources = resourcesSchema(false);
/** The resources of a container whose pod livetally defines. */
const containerResources = resourcesSchema(true);
const flinkProcess = (what: string): Schema[] => [
  { type: "number", exclusiveMinimum: 0, description: `${what} CPU cores` },
  {
    type: "string",
    pattern: "^[0-9]+(m|g|mb|gb)$",
    description: `${what} memory, as Flink writes it: 1024m, 2g`,
  },
];

function process(what: string, key: string): ChartValue[] {
  const [cpu, memory] = flinkProcess(what);
  return [
    { path: `flink.${key}.cpu`, description: `${what} CPU cores.`, schema: cpu ?? {} },
    { path: `flink.${key}.memory`, description: `${what} memory (Flink's notation).`, schema: memory ?? {} },
  ];
}

/** Everything an operator of the platform sets; the rest follows from these or from versions.env. */
export const chartValues: readonly ChartValue[] = [
  {
    path: "images.registry",
    description: "Registry and path the livetally images are pulled from (kind loads them as livetally/...).",
    schema: { type: "string", minLength: 1, pattern: "^[a-z0-9]([a-z0-9._:/-]*[a-z0-9])?$" },
  },
  {
    path: "images.tag",
    description: "Tag of the livetally-services, livetally-flink and livetally-grafana images; never latest.",
    // "latest" is refused by templates/checks.yaml, with a message a JSON schema `not` cannot give.
    schema: { type: "string", pattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$" },
  },
  {
    path: "images.pullPolicy",
    description: "Image pull policy of the livetally images.",
    schema: { enum: ["IfNotPresent", "Always", "Never"] },
  },
  { path: "kafka.brokers", description: "Kafka brokers.", schema: count(1) },
  {
    path: "kafka.controllers",
    description: "Dedicated KRaft controllers; 0 makes the brokers controllers too (one combined pool).",
    schema: count(0),
  },
  {
    path: "kafka.storage",
    description: "Volume size per Kafka node.",
    schema: quantity("Kafka volume size"),
  },
  { path: "kafka.resources", description: "Resources of each Kafka node.", schema: resources },
  {
    path: "kafka.replication",
    description: "Replicas of every topic; at most kafka.brokers.",
    schema: count(1),
  },
  {
    path: "kafka.minInsyncReplicas",
    description: "min.insync.replicas of every topic; at most kafka.replication.",
    schema: count(1),
  },
  {
    path: "postgres.instances",
    description: "PostgreSQL instances (one primary, the rest replicas).",
    schema: count(1),
  },
  {
    path: "postgres.storage",
    description: "Volume size per PostgreSQL instance.",
    schema: quantity("PostgreSQL volume size"),
  },
  { path: "postgres.resources", description: "Resources of each PostgreSQL instance.", schema: resources },
  {
    path: "postgres.antiAffinity",
    description: "Whether PostgreSQL instances must (required) or should (preferred) run on different nodes.",
    schema: { enum: ["preferred", "required"] },
  },
  { path: "registry.replicas", description: "Apicurio Registry replicas.", schema: count(1) },
  {
    path: "registry.resources",
    description: "Resources of each Apicurio Registry replica.",
    schema: containerResources,
  },
  { path: "flink.parallelism", description: "Parallelism of the tally job.", schema: count(1) },
  { path: "flink.slotsPerTaskManager", description: "Task slots per TaskManager.", schema: count(1) },
  ...process("JobManager", "jobManager"),
  ...process("TaskManager", "taskManager"),
  {
    path: "flink.checkpointStorage",
    description: "Size of the volume holding checkpoints, savepoints and HA metadata.",
    schema: quantity("checkpoint volume size"),
  },
  {
    path: "flink.checkpointAccessMode",
    description:
      "Access mode of the checkpoint volume: ReadWriteMany when Flink pods may land on several nodes.",
    schema: { enum: ["ReadWriteOnce", "ReadWriteMany"] },
  },
  { path: "voting.replicas", description: "Voting service replicas.", schema: count(1) },
  {
    path: "voting.resources",
    description: "Resources of each voting service replica.",
    schema: containerResources,
  },
  {
    path: "registration.resources",
    description: "Resources of the registration Job.",
    schema: containerResources,
  },
  {
    path: "setup.resources",
    description: "Resources of the setup step (migrations, Avro schemas).",
    schema: containerResources,
  },
  { path: "controller.replicas", description: "Election controller replicas (one leads).", schema: count(1) },
  {
    path: "controller.resources",
    description: "Resources of each Election controller replica.",
    schema: containerResources,
  },
  {
    path: "grafana.enabled",
    description: "Install Grafana with the livetally dashboards.",
    schema: { type: "boolean" },
  },
  {
    path: "grafana.adminSecret",
    description: "Secret with Grafana's admin-user and admin-password.",
    schema: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 253 },
  },
  {
    path: "grafana.createAdminSecret",
    description:
      "Create grafana.adminSecret with a random password (kept across upgrades); false to bring your own.",
    schema: { type: "boolean" },
  },
  { path: "grafana.replicas", description: "Grafana replicas.", schema: count(1) },
  { path: "grafana.resources", description: "Resources of Grafana.", schema: containerResources },
  {
    path: "grafana.serviceType",
    description: "NodePort (kind maps it to localhost:3000) or ClusterIP (behind your ingress).",
    schema: { enum: ["NodePort", "ClusterIP"] },
  },
  {
    path: "logLevel",
    description: "Log level of the services.",
    schema: { enum: ["debug", "info", "warn", "error"] },
  },
  {
    path: "disruptionBudgets",
    description: "PodDisruptionBudgets for the replicated workloads (PostgreSQL, registry, voting).",
    schema: { type: "boolean" },
  },
];

export function getPath(config: PlatformConfig, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], config);
}

/** The values of a profile, nested as values.yaml has them. */
export function valuesOf(config: PlatformConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of chartValues) setPath(out, v.path, getPath(config, v.path));
  return out;
}

export function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  const last = keys.pop() as string;
  let node = root;
  for (const k of keys) {
    node[k] = { ...((node[k] as Record<string, unknown>) ?? {}) };
    node = node[k] as Record<string, unknown>;
  }
  node[last] = value;
}

/** values.schema.json: every value typed and described, unknown keys rejected. */
export function valuesSchema(): Schema {
  const root: Schema = {
    $schema: "https://json-schema.org/draft-07/schema#",
    title: "livetally",
    type: "object",
    additionalProperties: false,
    properties: {},
  };
  for (const v of chartValues) {
    const keys = v.path.split(".");
    const last = keys.pop() as string;
    let node = root;
    for (const k of keys) {
      const props = node.properties as Record<string, Schema>;
      props[k] ??= { type: "object", additionalProperties: false, properties: {}, required: [] };
      node = props[k];
    }
    (node.properties as Record<string, Schema>)[last] = { description: v.description, ...v.schema };
    if (node !== root) (node.required as string[]).push(last);
  }
  root.required = Object.keys(root.properties as Schema);
  return root;
}
