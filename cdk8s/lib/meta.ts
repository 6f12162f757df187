import { ApiObject, Chart } from "cdk8s";
import { NAMESPACE, labels } from "../names.js";
import type { Resources } from "../config.js";

/** The concerns the platform is made of; each object carries its concern as a label. */
export type Component =
  | "namespace"
  | "kafka"
  | "postgres"
  | "registry"
  | "flink"
  | "services"
  | "grafana"
  | "network"
  | "monitoring"
  | "controller"
  | "election";

export function componentLabels(component: Component, name?: string): Record<string, string> {
  return {
    [labels.partOf]: "livetally",
    [labels.component]: component,
    ...(name ? { [labels.name]: name } : {}),
  };
}

/** Metadata of a namespaced livetally object. */
export function meta(name: string, component: Component, extraLabels: Record<string, string> = {}) {
  return { name, namespace: NAMESPACE, labels: { ...componentLabels(component, name), ...extraLabels } };
}

/** A Kubernetes object as synthesized: plain JSON. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
  };
  readonly [key: string]: unknown;
}

/** A resources block to set on a synthesized object, at a JSON pointer. */
interface ResourcesOverride {
  readonly kind: string;
  readonly name: string;
  readonly pointer: string;
  readonly resources: Resources;
}

const overrides = new WeakMap<Chart, ResourcesOverride[]>();

/**
 * Sets a container's resources as one plain object after synthesis. The generated typed classes
 * (CRDs and k8s alike) re-encode quantities in toJson and would drop plain strings, and the Helm
 * chart puts the whole block under values, so resources bypass them.
 */
export function setResources(obj: ApiObject, pointer: string, resources: Resources): void {
  const chart = Chart.of(obj);
  const list = overrides.get(chart) ?? [];
  list.push({ kind: obj.kind, name: obj.name, pointer, resources });
  overrides.set(chart, list);
}

/** A chart's objects as plain JSON, each with the resources setResources gave its containers. */
export function chartObjects(chart: Chart): K8sObject[] {
  const objects = chart.toJson() as K8sObject[];
  for (const o of overrides.get(chart) ?? []) {
    const target = objects.find((x) => x.kind === o.kind && x.metadata.name === o.name);
    if (!target) throw new Error(`resources for a missing ${o.kind} ${o.name}`);
    setAt(target, o.pointer, o.resources);
  }
  return objects;
}

/** Sets a value at a JSON pointer, creating objects on the way (arrays must exist). */
function setAt(root: object, pointer: string, value: unknown): void {
  const keys = pointer.split("/").slice(1);
  const last = keys.pop();
  if (last === undefined) throw new Error(`bad pointer ${pointer}`);
  let node = root as Record<string, unknown>;
  for (const key of keys) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[last] = value;
}
