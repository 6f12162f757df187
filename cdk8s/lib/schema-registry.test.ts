import { App, Chart } from "cdk8s";
import { describe, expect, it } from "vitest";
import { chartObjects, type K8sObject } from "./meta.js";
import { SchemaRegistry, type SchemaRegistryProps } from "./schema-registry.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const resources = {
  requests: { cpu: "100m", memory: "512Mi", "ephemeral-storage": "256Mi" },
  limits: { memory: "512Mi", "ephemeral-storage": "256Mi" },
};
const props: SchemaRegistryProps = { apicurioVersion: "3.0.0", resources };

function synth(p: SchemaRegistryProps): K8sObject[] {
  const chart = new Chart(new App(), "test");
  new SchemaRegistry(chart, "registry", p);
  return chartObjects(chart);
}
const deployment = (objects: K8sObject[]) => objects.find((o) => o.kind === "Deployment") as unknown as Json;

describe("SchemaRegistry", () => {
  it("defaults to one replica of the release given, with its resources, and no disruption budget", () => {
    const objects = synth(props);
    expect(objects.map((o) => o.kind).sort()).toEqual(["Deployment", "Service"]);
    expect(deployment(objects).spec.replicas).toBe(1);
    const [container] = deployment(objects).spec.template.spec.containers as Json[];
    expect(container?.image).toBe("quay.io/apicurio/apicurio-registry:3.0.0");
    expect(container?.resources).toEqual(resources);
  });

  it("reads its database credentials from the files of their Secret", () => {
    const pod = deployment(synth(props)).spec.template.spec;
    const env = Object.fromEntries((pod.containers[0].env as Json[]).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      APICURIO_DATASOURCE_USERNAME_FILE: "/var/run/secrets/livetally/database/username",
      APICURIO_DATASOURCE_PASSWORD_FILE: "/var/run/secrets/livetally/database/password",
    });
    expect(pod.volumes).toContainEqual({
      name: "secret-database",
      secret: { secretName: "livetally-pg-registry", defaultMode: 0o440 },
    });
    expect(pod.securityContext).toMatchObject({
      runAsUser: 10001,
      runAsGroup: 10001,
      supplementalGroups: [0],
    });
  });

  it("runs the replicas it is told, with a budget when asked", () => {
    const objects = synth({ ...props, replicas: 2, disruptionBudget: true });
    expect(deployment(objects).spec.replicas).toBe(2);
    expect(objects.filter((o) => o.kind === "PodDisruptionBudget").map((o) => o.metadata.name)).toEqual([
      "livetally-registry",
    ]);
  });
});
