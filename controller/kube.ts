import {
  ApiException,
  CoordinationV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubeConfig,
} from "@kubernetes/client-node";
import { KubeRest } from "./kube-rest.js";

/** The API clients the controller uses, all from one KubeConfig. */
export interface Kube {
  readonly config: KubeConfig;
  /** Any kind by apiVersion and kind, as plain JSON: server-side apply, reads, lists, deletes. */
  readonly rest: KubeRest;
  /** Elections, and their status subresource. */
  readonly custom: CustomObjectsApi;
  readonly leases: CoordinationV1Api;
  readonly events: EventsV1Api;
}

/** In a pod, the ServiceAccount's token; elsewhere the file KUBECONFIG names (local stack, tests). */
export function connectKube(kubeconfig: string | undefined): Kube {
  const config = new KubeConfig();
  if (kubeconfig === undefined) config.loadFromCluster();
  else config.loadFromFile(kubeconfig);
  return {
    config,
    rest: new KubeRest(config),
    custom: config.makeApiClient(CustomObjectsApi),
    leases: config.makeApiClient(CoordinationV1Api),
    events: config.makeApiClient(EventsV1Api),
  };
}

/** The HTTP status of a failed API call, if the API server answered. */
export function apiStatus(e: unknown): number | undefined {
  return e instanceof ApiException ? (e as ApiException<unknown>).code : undefined;
}

export const isNotFound = (e: unknown) => apiStatus(e) === 404;
export const isConflict = (e: unknown) => apiStatus(e) === 409;

/** What the API server said, for a log line or a condition: its Status message when it sent one. */
export function apiMessage(e: unknown): string {
  if (e instanceof ApiException) {
    const body = (e as ApiException<unknown>).body;
    const text = typeof body === "string" ? body : JSON.stringify(body);
    try {
      const status = JSON.parse(text) as { message?: string };
      if (status.message) return status.message;
    } catch {
      // Not a Status object: the text as it came.
    }
    return `HTTP ${(e as ApiException<unknown>).code}: ${text.slice(0, 500)}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** The cluster serves no such kind (its operator's CRDs are not installed). */
export function isUnservedKind(e: unknown): boolean {
  return isNotFound(e) || (e instanceof Error && e.message.startsWith("Unrecognized API version and kind"));
}
