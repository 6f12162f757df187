import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The keys of versions.env; adding a pin means adding it there and here. */
const KEYS = [
  "STRIMZI_VERSION",
  "KAFKA_VERSION",
  "CLOUDNATIVEPG_VERSION",
  "POSTGRES_IMAGE_VERSION",
  "FLINK_OPERATOR_VERSION",
  "PROMETHEUS_OPERATOR_VERSION",
  "KUBERNETES_SCHEMA_VERSION",
  "APICURIO_VERSION",
  "FLINK_VERSION",
  "FLINK_KAFKA_CONNECTOR_VERSION",
  "FLINK_JDBC_CONNECTOR_VERSION",
  "POSTGRES_JDBC_VERSION",
  "APICURIO_LOCAL_VERSION",
  "LOG4J_VERSION",
  "JUNIT_VERSION",
  "HELM_VERSION",
  "KIND_VERSION",
  "KUBECTL_VERSION",
  "KUBERNETES_VERSION",
  "CERT_MANAGER_VERSION",
  "KUBE_SCORE_VERSION",
  "CHECKOV_VERSION",
  "NODE_VERSION",
  "GRAFANA_VERSION",
  "GRAFANA_KAFKA_PLUGIN_VERSION",
  "CLOUDNATIVEPG_CHART_VERSION",
  "KUBE_PROMETHEUS_STACK_VERSION",
  "MAVEN_IMAGE_VERSION",
] as const;

export type VersionKey = (typeof KEYS)[number];
export type Versions = Readonly<Record<VersionKey, string>>;

export const repoRoot = dirname(fileURLToPath(import.meta.url));

/** Every pin as a Maven -D property: the poms name the versions they use by versions.env's keys. */
export function mavenProperties(v: Versions): string[] {
  return KEYS.map((key) => `-D${key}=${v[key]}`);
}

/** Parses KEY=VALUE lines; comments and blank lines are skipped. */
export function parseVersions(text: string): Versions {
  const found = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`versions.env: not KEY=VALUE: ${line}`);
    found.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const missing = KEYS.filter((k) => !found.get(k));
  if (missing.length > 0) throw new Error(`versions.env: missing ${missing.join(", ")}`);
  const unknown = [...found.keys()].filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new Error(`versions.env: unknown ${unknown.join(", ")}`);
  return Object.fromEntries(KEYS.map((k) => [k, found.get(k)])) as Versions;
}

let cached: Versions | undefined;

export function versions(): Versions {
  cached ??= parseVersions(readFileSync(join(repoRoot, "versions.env"), "utf8"));
  return cached;
}
