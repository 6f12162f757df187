import type { K8sObject } from "../app.js";

/** One broken promise between objects: what refers, and what it misses. */
export interface RefProblem {
  readonly object: string;
  readonly message: string;
}

type Json = Record<string, unknown>;
type Container = Json & { name: string; image?: string };
interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  volumes?: Json[];
  securityContext?: Json;
  serviceAccountName?: string;
}

/** Kinds whose pods livetally defines, with where their pod spec sits. */
const workloadPodSpec: Readonly<Record<string, (o: Json) => PodSpec | undefined>> = {
  Deployment: (o) => at(o, "spec", "template", "spec"),
  StatefulSet: (o) => at(o, "spec", "template", "spec"),
  DaemonSet: (o) => at(o, "spec", "template", "spec"),
  Job: (o) => at(o, "spec", "template", "spec"),
  CronJob: (o) => at(o, "spec", "jobTemplate", "spec", "template", "spec"),
  FlinkDeployment: (o) => at(o, "spec", "podTemplate", "spec"),
};

function at<T>(o: unknown, ...path: string[]): T | undefined {
  let node = o;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Json)[key];
  }
  return node as T | undefined;
}

const id = (o: K8sObject) => `${o.kind} ${o.metadata.name}`;

/**
 * What exists once the output is applied: the objects themselves, and what their operators write
 * from them (a Strimzi KafkaUser's Secret, a CloudNativePG Cluster's app Secret and Services, a
 * Strimzi Kafka's bootstrap Service).
 */
export function provided(objects: readonly K8sObject[]) {
  const names = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
  const clusters = names("Cluster");
  const kafkas = names("Kafka");
  return {
    secrets: new Set([...names("Secret"), ...names("KafkaUser"), ...clusters.map((c) => `${c}-app`)]),
    configMaps: new Set(names("ConfigMap")),
    services: new Set([
      ...names("Service"),
      ...clusters.flatMap((c) => [`${c}-rw`, `${c}-ro`, `${c}-r`]),
      ...kafkas.map((k) => `${k}-kafka-bootstrap`),
    ]),
    claims: new Set(names("PersistentVolumeClaim")),
    serviceAccounts: new Set(["default", ...names("ServiceAccount")]),
    topics: new Set(
      objects
        .filter((o) => o.kind === "KafkaTopic")
        .map((o) => at<string>(o, "spec", "topicName") ?? o.metadata.name),
    ),
    databases: new Set([
      ...objects
        .filter((o) => o.kind === "Cluster")
        .map((o) => at<string>(o, "spec", "bootstrap", "initdb", "database") ?? "app"),
      ...objects.filter((o) => o.kind === "Database").map((o) => at<string>(o, "spec", "name") ?? ""),
    ]),
  };
}

/** host:port and URLs in a value: jdbc:postgresql://h:5432/db, http://h:8080/x, h:9092. */
const endpointPattern =
  /(?:^|[/@,])([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9.-]+)?:(\d+)(\/([A-Za-z0-9_]+))?/g;

/** Checks that every name a workload refers to exists in the same output. */
export function checkReferences(objects: readonly K8sObject[]): RefProblem[] {
  const have = provided(objects);
  const problems: RefProblem[] = [];
  const namespaces = new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => Boolean(n)));
  const need = (o: K8sObject, set: Set<string>, what: string, name: string | undefined) => {
    if (name && !set.has(name)) problems.push({ object: id(o), message: `${what} ${name} does not exist` });
  };
  const checkValue = (o: K8sObject, value: string) => {
    for (const m of value.matchAll(endpointPattern)) {
      const [, host, , domain, , , database] = m;
      // Only in-namespace Services: a bare name or <name>.<our namespace>.svc.
      const inNamespace =
        domain === undefined || [...namespaces].some((ns) => domain.startsWith(`.${ns}.svc`));
      if (!host || !inNamespace || /^\d+$/.test(host)) continue;
      need(o, have.services, "Service", host);
      if (value.includes("postgresql://") && database) need(o, have.databases, "database", database);
    }
  };

  for (const o of objects) {
    if (o.kind === "ConfigMap") {
      for (const v of Object.values(at<Json>(o, "data") ?? {}))
        if (typeof v === "string" && v.length < 500) checkValue(o, v);
    }
    if (o.kind === "KafkaUser") {
      for (const acl of at<Json[]>(o, "spec", "authorization", "acls") ?? []) {
        const r = acl.resource as { type: string; name?: string; patternType?: string };
        // `*` is every topic (the controller may describe and delete any), not one of that name.
        if (r.type === "topic" && r.patternType !== "prefix" && r.name !== "*")
          need(o, have.topics, "topic", r.name);
      }
    }
    if (o.kind === "Database")
      need(
        o,
        new Set(objects.filter((x) => x.kind === "Cluster").map((x) => x.metadata.name)),
        "Cluster",
        at<string>(o, "spec", "cluster", "name"),
      );
    if (o.kind === "Cluster") {
      for (const role of at<Json[]>(o, "spec", "managed", "roles") ?? [])
        need(o, have.secrets, "Secret", at<string>(role, "passwordSecret", "name"));
    }
    const podSpec = workloadPodSpec[o.kind]?.(o as unknown as Json);
    if (!podSpec) continue;
    need(
      o,
      have.serviceAccounts,
      "ServiceAccount",
      podSpec.serviceAccountName ?? at<string>(o, "spec", "serviceAccount"),
    );
    for (const c of [...(podSpec.containers ?? []), ...(podSpec.initContainers ?? [])]) {
      for (const e of (c.env ?? []) as Json[]) {
        need(o, have.secrets, "Secret", at<string>(e, "valueFrom", "secretKeyRef", "name"));
        need(o, have.configMaps, "ConfigMap", at<string>(e, "valueFrom", "configMapKeyRef", "name"));
        if (typeof e.value === "string") checkValue(o, e.value);
      }
      for (const e of (c.envFrom ?? []) as Json[]) {
        need(o, have.secrets, "Secret", at<string>(e, "secretRef", "name"));
        need(o, have.configMaps, "ConfigMap", at<string>(e, "configMapRef", "name"));
      }
    }
    for (const v of podSpec.volumes ?? []) {
      need(o, have.secrets, "Secret", at<string>(v, "secret", "secretName"));
      need(o, have.configMaps, "ConfigMap", at<string>(v, "configMap", "name"));
      need(o, have.claims, "PersistentVolumeClaim", at<string>(v, "persistentVolumeClaim", "claimName"));
    }
  }
  return problems;
}

/**
 * Checks what every workload must have: resources, probes, a restricted security context, a pinned
 * image, and no Secret in its environment.
 */
export function checkWorkloads(objects: readonly K8sObject[]): RefProblem[] {
  const problems: RefProblem[] = [];
  for (const o of objects) {
    const podSpec = workloadPodSpec[o.kind]?.(o as unknown as Json);
    if (!podSpec) continue;
    const fail = (message: string) => problems.push({ object: id(o), message });
    // The Flink operator builds the JobManager and TaskManager pods: it sets their probes and
    // takes their resources and image from the FlinkDeployment itself.
    const operatorManaged = o.kind === "FlinkDeployment";
    if (operatorManaged) {
      if (!pinned(at<string>(o, "spec", "image")))
        fail(`image ${at<string>(o, "spec", "image")} is not pinned`);
      for (const p of ["jobManager", "taskManager"]) {
        const r = at<Json>(o, "spec", p, "resource");
        if (!r?.cpu || !r.memory) fail(`${p} has no cpu and memory resource`);
      }
    }
    const pod = podSpec.securityContext ?? {};
    for (const [c, init] of [
      ...(podSpec.containers ?? []).map((c) => [c, false] as const),
      ...(podSpec.initContainers ?? []).map((c) => [c, true] as const),
    ]) {
      const where = `container ${c.name}`;
      if (!operatorManaged) {
        if (!pinned(c.image)) fail(`${where}: image ${c.image} is not pinned`);
        const r = c.resources as { requests?: Json; limits?: Json } | undefined;
        const storage = "ephemeral-storage";
        if (!r?.requests?.cpu || !r.requests.memory || !r.requests[storage])
          fail(`${where}: needs cpu, memory and ${storage} requests`);
        if (!r?.limits?.memory || !r.limits[storage]) fail(`${where}: needs memory and ${storage} limits`);
        if (!init && (!c.livenessProbe || !c.readinessProbe))
          fail(`${where}: needs liveness and readiness probes`);
      }
      // Credentials are mounted as files, in the operators' pods too, where the linters do not look.
      for (const e of (c.env ?? []) as Json[])
        if (at(e, "valueFrom", "secretKeyRef"))
          fail(`${where}: ${String(e.name)} comes from a Secret; mount the Secret as a file instead`);
      for (const e of (c.envFrom ?? []) as Json[])
        if (e.secretRef) fail(`${where}: takes a Secret's keys as variables; mount it as files instead`);
      const sc = (c.securityContext ?? {}) as Json;
      const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
      const uid = sc.runAsUser ?? pod.runAsUser;
      if (nonRoot !== true || uid === 0) fail(`${where}: must run as non-root`);
      if (sc.allowPrivilegeEscalation !== false) fail(`${where}: must set allowPrivilegeEscalation: false`);
      if (sc.privileged === true) fail(`${where}: must not be privileged`);
      const drop = at<string[]>(sc, "capabilities", "drop") ?? [];
      if (!drop.includes("ALL")) fail(`${where}: must drop ALL capabilities`);
      const seccomp = at<string>(sc, "seccompProfile", "type") ?? at<string>(pod, "seccompProfile", "type");
      if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
        fail(`${where}: needs a RuntimeDefault seccomp profile`);
    }
  }
  return problems;
}

/** A tag other than latest, or a digest. */
export function pinned(image: string | undefined): boolean {
  if (!image) return false;
  if (image.includes("@sha256:")) return true;
  const tag = image.slice(image.lastIndexOf("/") + 1).split(":")[1];
  return Boolean(tag) && tag !== "latest";
}

/** Every namespace that holds an object has a policy selecting all pods, denying all traffic. */
export function checkDefaultDeny(objects: readonly K8sObject[]): RefProblem[] {
  const namespaces = new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => Boolean(n)));
  const problems: RefProblem[] = [];
  for (const ns of namespaces) {
    const denies = objects.some(
      (o) =>
        o.kind === "NetworkPolicy" &&
        o.metadata.namespace === ns &&
        Object.keys(at<Json>(o, "spec", "podSelector") ?? { x: 1 }).length === 0 &&
        ["Ingress", "Egress"].every((t) => (at<string[]>(o, "spec", "policyTypes") ?? []).includes(t)) &&
        !at(o, "spec", "ingress") &&
        !at(o, "spec", "egress"),
    );
    if (!denies) problems.push({ object: `Namespace ${ns}`, message: "has no default-deny NetworkPolicy" });
  }
  return problems;
}

/**
 * No Role or ClusterRole grants a wildcard, in any rule: Checkov's own check reads the first rule
 * only, and a `*` verb also grants verbs Kubernetes adds later.
 */
export function checkRbac(objects: readonly K8sObject[]): RefProblem[] {
  const problems: RefProblem[] = [];
  for (const o of objects.filter((x) => x.kind === "Role" || x.kind === "ClusterRole")) {
    (at<Json[]>(o, "rules") ?? []).forEach((rule, i) => {
      for (const field of ["apiGroups", "resources", "verbs", "nonResourceURLs"]) {
        if (((rule[field] ?? []) as string[]).some((v) => v.includes("*")))
          problems.push({ object: id(o), message: `rule ${i}: a wildcard in ${field}` });
      }
    });
  }
  return problems;
}

export function checkAll(objects: readonly K8sObject[]): RefProblem[] {
  return [
    ...checkReferences(objects),
    ...checkWorkloads(objects),
    ...checkDefaultDeny(objects),
    ...checkRbac(objects),
  ];
}
