import { electionObjects, type K8sObject } from "../cdk8s/app.js";
import { controller, labels } from "../cdk8s/names.js";
import type { Election } from "../schemas/generated/election.js";
import type { ElectionResource } from "./election-resource.js";
import type { Platform } from "./platform.js";

/** The kinds an election owns, as the controller watches them (electionObjects makes no other). */
export const ownedKinds = [
  { apiVersion: "v1", kind: "ConfigMap", plural: "configmaps" },
  { apiVersion: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims" },
  { apiVersion: "batch/v1", kind: "Job", plural: "jobs" },
  { apiVersion: "apps/v1", kind: "Deployment", plural: "deployments" },
  { apiVersion: "policy/v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets" },
  { apiVersion: "kafka.strimzi.io/v1", kind: "KafkaTopic", plural: "kafkatopics" },
  { apiVersion: "kafka.strimzi.io/v1", kind: "KafkaUser", plural: "kafkausers" },
  { apiVersion: "flink.apache.org/v1beta1", kind: "FlinkDeployment", plural: "flinkdeployments" },
] as const;

export type OwnedKind = (typeof ownedKinds)[number];

/** Where the API serves a kind's objects in a namespace. */
export function kindPath(kind: OwnedKind, namespace: string): string {
  const group = kind.apiVersion.includes("/") ? `/apis/${kind.apiVersion}` : `/api/${kind.apiVersion}`;
  return `${group}/namespaces/${namespace}/${kind.plural}`;
}

/** The label selector of what the controller applied for one election, or for all of them. */
export function ownedSelector(election?: string): string {
  const managed = `${labels.managedBy}=${controller.name}`;
  return election === undefined ? managed : `${managed},${labels.instance}=${election}`;
}

/** How an object is told apart from the others an election owns. */
export function objectKey(o: Pick<K8sObject, "apiVersion" | "kind" | "metadata">): string {
  return `${o.apiVersion}/${o.kind}/${o.metadata.name}`;
}

/**
 * The objects of one Election as the controller applies them: what electionObjects makes for its
 * document on this platform (the same as the chart installs for a bundled election), in the
 * Election's namespace, labelled as the controller's and owned by the Election, so that deleting it
 * deletes them (the garbage collector) and a change to one of them wakes the controller.
 */
export function desiredObjects(
  platform: Platform,
  resource: ElectionResource,
  election: Election,
): K8sObject[] {
  const owner = {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    name: resource.metadata.name,
    uid: resource.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
  return electionObjects(platform.config, election, platform.files).map((o) => ({
    ...o,
    metadata: {
      ...o.metadata,
      namespace: resource.metadata.namespace,
      labels: { ...o.metadata.labels, [labels.managedBy]: controller.name },
      ownerReferences: [owner],
    },
  }));
}

/**
 * What of an object means it changed: its generation where the API server keeps one (only the spec
 * moves it, not the status the operators write), its resourceVersion otherwise.
 */
export function versionOf(o: { metadata?: { generation?: number; resourceVersion?: string } }): string {
  const generation = o.metadata?.generation;
  return generation !== undefined && generation > 0
    ? `g${generation}`
    : `r${o.metadata?.resourceVersion ?? ""}`;
}
