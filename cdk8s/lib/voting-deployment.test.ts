import { App, Chart } from "cdk8s";
import { describe, expect, it } from "vitest";
import { chartObjects, type K8sObject } from "./meta.js";
import { VotingDeployment, type VotingDeploymentProps } from "./voting-deployment.js";
import { VOTING_NODE_FLAGS } from "../../producers/voting/node-flags.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const resources = {
  requests: { cpu: "100m", memory: "192Mi", "ephemeral-storage": "256Mi" },
  limits: { memory: "192Mi", "ephemeral-storage": "256Mi" },
};
const props: VotingDeploymentProps = {
  image: "registry.example/livetally-services:1.2.3",
  imagePullPolicy: "IfNotPresent",
  election: "city-council",
  resources,
  setupResources: resources,
};

function synth(p: VotingDeploymentProps): K8sObject[] {
  const chart = new Chart(new App(), "test");
  new VotingDeployment(chart, "voting", p);
  return chartObjects(chart);
}
const deployment = (objects: K8sObject[]) => objects.find((o) => o.kind === "Deployment") as unknown as Json;

describe("VotingDeployment", () => {
  it("defaults to one replica and no disruption budget", () => {
    const objects = synth(props);
    expect(objects.map((o) => o.kind)).toEqual(["Deployment"]);
    expect(deployment(objects).spec.replicas).toBe(1);
    const [container] = deployment(objects).spec.template.spec.containers as Json[];
    expect(container?.command).toEqual(["node", ...VOTING_NODE_FLAGS, "producers/voting/main.js"]);
  });

  it("spreads its replicas over nodes and lets a drain take one of its election's at a time", () => {
    const objects = synth({ ...props, replicas: 3, disruptionBudget: true });
    expect(deployment(objects).metadata.name).toBe("city-council-voting");
    expect(deployment(objects).spec.replicas).toBe(3);
    expect(deployment(objects).spec.template.spec.affinity.podAntiAffinity).toBeDefined();
    const budget = objects.find((o) => o.kind === "PodDisruptionBudget") as unknown as Json;
    expect(budget.spec).toEqual({
      maxUnavailable: 1,
      selector: {
        matchLabels: {
          "app.kubernetes.io/name": "livetally-voting",
          "app.kubernetes.io/instance": "city-council",
        },
      },
    });
  });
});
