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
  | "monitoring";

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

/** A resources block to set on a synthesized object, at a JSON pointer. */
export interface ResourcesOverride {
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

export function resourcesOverrides(chart: Chart): readonly ResourcesOverride[] {
  return overrides.get(chart) ?? [];
}
