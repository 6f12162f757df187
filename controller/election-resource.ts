import type { V1ObjectMeta } from "@kubernetes/client-node";
import { electionResource } from "../schemas/election/resource.js";
import { validateElection, type ElectionResult } from "../schemas/election/validate.js";
import type { Election } from "../schemas/generated/election.js";
import type { ElectionStatus } from "../schemas/generated/election-status.js";

/** An Election as the API server holds it: the document, Kubernetes' metadata, the controller's status. */
export interface ElectionResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: V1ObjectMeta & { readonly name: string; readonly namespace: string };
  readonly spec: Election["spec"];
  readonly status?: ElectionStatus;
}

/** The work queue's key of an Election: namespace/name. */
export function electionKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function keyOf(resource: Pick<ElectionResource, "metadata">): string {
  return electionKey(resource.metadata.namespace, resource.metadata.name);
}

/**
 * The Election document inside the resource, checked by the same validator as a file: what the
 * election's services are given. The API server has checked the schema and its CEL rules already;
 * this holds the document to the TypeScript twins too, so no service starts with one they refuse.
 */
export function electionDocument(resource: ElectionResource): ElectionResult {
  return validateElection({
    apiVersion: electionResource.apiVersion,
    kind: electionResource.kind,
    metadata: { name: resource.metadata.name },
    spec: resource.spec,
  });
}

/** The path of the namespace's Elections in the API. */
export function electionsPath(namespace: string): string {
  const r = electionResource;
  return `/apis/${r.group}/${r.version}/namespaces/${namespace}/${r.plural}`;
}
