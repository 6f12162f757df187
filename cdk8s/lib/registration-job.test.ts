import { App, Chart } from "cdk8s";
import { describe, expect, it } from "vitest";
import { chartObjects } from "./meta.js";
import { RegistrationJob, type RegistrationJobProps } from "./registration-job.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const resources = {
  requests: { cpu: "100m", memory: "256Mi", "ephemeral-storage": "256Mi" },
  limits: { memory: "256Mi", "ephemeral-storage": "256Mi" },
};
const props: RegistrationJobProps = {
  image: "registry.example/livetally-services:1.2.3",
  imagePullPolicy: "IfNotPresent",
  election: "city-council",
  resources,
  setupResources: resources,
};

describe("RegistrationJob", () => {
  it("registers the election's whole electorate as the election's registration principal, retrying a failed pod", () => {
    const chart = new Chart(new App(), "test");
    new RegistrationJob(chart, "registration", props);
    const [job] = chartObjects(chart) as unknown as Json[];
    expect(job?.kind).toBe("Job");
    expect(job?.metadata.name).toBe("city-council-registration");
    expect(job?.spec.backoffLimit).toBe(6);
    const [container] = job?.spec.template.spec.containers as Json[];
    // No --voters: the document's spec.electorate says how many.
    expect(container?.command).toEqual(["node", "producers/registration/main.js"]);
    expect((container?.env as Json[]).find((e) => e.name === "KAFKA_SASL_USERNAME")?.value).toBe(
      "city-council-registration",
    );
    expect(job?.spec.template.metadata.labels).toMatchObject({
      "app.kubernetes.io/name": "livetally-registration",
      "app.kubernetes.io/instance": "city-council",
    });
    expect(job?.spec.template.spec.initContainers.map((c: Json) => c.name)).toEqual(["setup"]);
  });
});
