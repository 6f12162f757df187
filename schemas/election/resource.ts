import { electionSchema } from "../generated/election.js";

/**
 * The Election as a Kubernetes resource: its group, version and names, from the one schema (its
 * apiVersion is the group and version the CRD serves).
 */
const [apiVersion] = electionSchema.properties.apiVersion.enum;
const [group, version] = apiVersion.split("/") as [string, string];

export const electionResource = {
  apiVersion,
  group,
  version,
  kind: electionSchema.properties.kind.enum[0],
  plural: "elections",
  singular: "election",
  /** `kubectl get livetally` lists Elections among the project's resources. */
  categories: ["livetally"],
} as const;
