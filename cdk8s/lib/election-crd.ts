import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import type { OpenApiSchema } from "../../schemas/election/openapi.js";
import { electionResource } from "../../schemas/election/resource.js";
import { componentLabels } from "./meta.js";

export interface ElectionCrdProps {
  /** The Election document's schema (schemas/election/election.schema.yaml). */
  readonly schema: OpenApiSchema;
  /** The status the controller writes (schemas/election/election-status.schema.yaml). */
  readonly statusSchema: OpenApiSchema;
}

/** What `kubectl get elections` shows, from the status the controller writes. */
export const electionPrinterColumns = [
  { name: "Phase", type: "string", jsonPath: ".status.phase" },
  { name: "Votes", type: "integer", jsonPath: ".status.votesCast" },
  { name: "Turnout", type: "number", jsonPath: ".status.turnoutPercent", description: "percent" },
  { name: "Leader", type: "string", jsonPath: ".status.leader.name" },
  {
    name: "Margin",
    type: "integer",
    jsonPath: ".status.margin",
    description: "votes ahead of the runner-up",
  },
  { name: "Certified", type: "string", jsonPath: '.status.conditions[?(@.type=="Certified")].status' },
  { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
] as const;

/**
 * The schema as a CRD's openAPIV3Schema: the document's spec and its metadata.name rules as they
 * are (the CEL rules included), status beside them. apiVersion and kind stay plain strings: the API
 * server routes by them, and a schema may not constrain them.
 */
export function crdSchema(props: ElectionCrdProps): OpenApiSchema {
  const { spec, metadata } = props.schema.properties ?? {};
  if (!spec || !metadata) throw new Error("the Election schema has no spec or metadata");
  return {
    type: "object",
    ...(props.schema.description ? { description: props.schema.description } : {}),
    required: ["spec"],
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata,
      spec,
      status: props.statusSchema,
    },
  };
}

/**
 * The Election CustomResourceDefinition: one version, structural, its status a subresource so only
 * the controller writes it and a spec change alone moves metadata.generation.
 */
export class ElectionCrd extends Construct {
  constructor(scope: Construct, id: string, props: ElectionCrdProps) {
    super(scope, id);
    const r = electionResource;
    new ApiObject(this, "crd", {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `${r.plural}.${r.group}`, labels: componentLabels("controller") },
      spec: {
        group: r.group,
        names: { kind: r.kind, plural: r.plural, singular: r.singular, categories: [...r.categories] },
        scope: "Namespaced",
        versions: [
          {
            name: r.version,
            served: true,
            storage: true,
            schema: { openAPIV3Schema: crdSchema(props) },
            subresources: { status: {} },
            additionalPrinterColumns: electionPrinterColumns,
          },
        ],
      },
    });
  }
}
