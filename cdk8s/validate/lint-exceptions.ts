import type { Profile } from "../config.js";
import { electionObjectNames } from "../names.js";
import type { Linter } from "./findings.js";

/**
 * A finding of Checkov or kube-score that livetally accepts, and why. This file is the only place
 * an exception can be made: `make validate` fails on every finding none of these covers, and on
 * an exception that covers nothing any more. Change it only with a review of the reason.
 */
export interface LintException {
  readonly linter: Linter;
  /** The linter's id of the check. */
  readonly check: string;
  /** kind/name of every object excepted; others still fail the check. */
  readonly objects: readonly string[];
  readonly reason: string;
  /** Only in this profile: its synthesis and the chart rendered with its values. @default both */
  readonly profile?: Profile;
  /** Only findings whose message matches: one part of a check that tests several things. */
  readonly message?: RegExp;
}

/** The election both profiles and the chart install (app.ts defaultElection): its workloads are ours. */
const installed = electionObjectNames("general-2026");
const ourWorkloads = [`Deployment/${installed.voting}`, `Job/${installed.registration}`];
const controller = "Deployment/livetally-controller";
/** The workloads whose images this project builds (cdk8s/images.ts). */
const ourImages = [...ourWorkloads, controller, "Deployment/livetally-grafana"];
const workloads = [
  ...ourWorkloads,
  controller,
  "Deployment/livetally-registry",
  "Deployment/livetally-grafana",
];
const noCpuLimit =
  "No CPU limits, on purpose: a limit only adds CFS throttling (latency spikes in the services, a " +
  "slower registry and Grafana) while requests already reserve each container's share; memory and " +
  "ephemeral-storage stay limited.";
const kindLoadsImages =
  "kind side-loads the livetally images (`make kind-up`: kind load docker-image), so the kubelet " +
  "must use the node's copy; with Always it would pull from a registry that does not have them. " +
  "The production profile pulls Always.";

export const lintExceptions: readonly LintException[] = [
  { linter: "checkov", check: "CKV_K8S_11", objects: workloads, reason: noCpuLimit },
  {
    linter: "kube-score",
    check: "container-resources",
    objects: workloads,
    message: /: CPU limit is not set$/,
    reason: noCpuLimit,
  },
  {
    linter: "checkov",
    check: "CKV_K8S_43",
    objects: ourImages,
    reason:
      "livetally-services (the services and the controller) and livetally-grafana are images this project builds from this repository " +
      "(Grafana's on the release pinned in versions.env, with the Kafka plugin pinned there too) and tags " +
      "with its release (images.tag; templates/checks.yaml refuses latest). kind loads them locally, " +
      "where they have no registry digest to pin.",
  },
  {
    linter: "checkov",
    check: "CKV_K8S_43",
    objects: ["Deployment/livetally-registry"],
    reason:
      "Pinned by release tag in versions.env (APICURIO_VERSION). Pinning the digest as well needs the " +
      "registry's digest, which cannot be looked up from the machines this is built on (no container " +
      "registry is reachable); until someone records it next to the tag.",
  },
  {
    linter: "checkov",
    check: "CKV_K8S_15",
    objects: ourImages,
    profile: "kind",
    reason: kindLoadsImages,
  },
  {
    linter: "kube-score",
    check: "container-image-pull-policy",
    objects: ourImages,
    profile: "kind",
    reason: kindLoadsImages,
  },
  {
    linter: "checkov",
    check: "CKV_K8S_38",
    objects: [controller],
    reason:
      "The Election controller is a Kubernetes API client: it watches Elections and applies their " +
      "objects as its ServiceAccount, held to a namespaced Role without wildcards " +
      "(cdk8s/lib/controller.ts). Every other pod of livetally's own mounts no token.",
  },
  {
    linter: "kube-score",
    check: "networkpolicy-targets-pod",
    objects: ["NetworkPolicy/allow-kafka", "NetworkPolicy/allow-postgres", "NetworkPolicy/allow-flink"],
    reason:
      "They select pods the operators create from custom resources (Strimzi's brokers and entity " +
      "operator, CloudNativePG's instances, the Flink operator's JobManager and TaskManagers), which " +
      "kube-score cannot see in the manifests.",
  },
  {
    linter: "kube-score",
    check: "deployment-replicas",
    objects: ["Deployment/livetally-grafana"],
    reason:
      "Grafana keeps its state (SQLite: users, sessions) in an emptyDir; a second replica would be a " +
      "second, diverging Grafana. More replicas need a shared Grafana database first.",
  },
  {
    linter: "kube-score",
    check: "deployment-replicas",
    objects: ["Deployment/livetally-registry"],
    profile: "kind",
    reason: "The laptop profile runs one registry replica; production runs two, with a disruption budget.",
  },
  {
    linter: "kube-score",
    check: "service-type",
    objects: ["Service/livetally-grafana"],
    profile: "kind",
    reason:
      "On kind, Grafana is a NodePort (30300) that the cluster maps to localhost:3000; production " +
      "uses ClusterIP behind an ingress (grafana.serviceType).",
  },
];
