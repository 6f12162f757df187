import { App, Chart } from "cdk8s";
import { Job } from "cdk8s-plus-33";
import { describe, expect, it } from "vitest";
import { chartObjects } from "./meta.js";
import { servicesWorkload, type ServicesWorkloadOptions } from "./service-container.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const resources = (memory: string) => ({
  requests: { cpu: "100m", memory, "ephemeral-storage": "64Mi" },
  limits: { memory, "ephemeral-storage": "64Mi" },
});
const options: ServicesWorkloadOptions = {
  name: "city-council-example",
  app: "livetally-example",
  election: "city-council",
  image: "registry.example/livetally-services:1.2.3",
  imagePullPolicy: "Never",
  resources: resources("256Mi"),
  setupResources: resources("128Mi"),
  service: {
    name: "example",
    entrypoint: "producers/example/main.js",
    args: ["--x"],
    kafkaUser: "city-council-voting",
  },
};

function synthPod(): Json {
  const chart = new Chart(new App(), "test");
  servicesWorkload(chart, options, (pod) => new Job(chart, "job", pod));
  const [job] = chartObjects(chart) as unknown as Json[];
  return job?.spec.template;
}

describe("servicesWorkload", () => {
  const pod = synthPod();
  const setup = pod.spec.initContainers[0] as Json;
  const service = pod.spec.containers[0] as Json;

  it("runs setup, then the service, both of the image given, each with its resources", () => {
    expect(setup).toMatchObject({
      name: "setup",
      command: ["node", "producers/setup/main.js", "--no-topics"],
    });
    expect(service).toMatchObject({ name: "example", command: ["node", "producers/example/main.js", "--x"] });
    for (const c of [setup, service]) {
      expect(c).toMatchObject({ image: options.image, imagePullPolicy: "Never" });
      expect(c.envFrom).toEqual([{ configMapRef: { name: "livetally-services" } }]);
      expect(c.volumeMounts.slice(0, 3)).toEqual([
        { mountPath: "/tmp", name: "tmp" },
        { mountPath: "/etc/livetally/election", name: "election", readOnly: true },
        { mountPath: "/var/run/secrets/livetally/database", name: "secret-database", readOnly: true },
      ]);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
    }
    expect(setup.resources).toEqual(options.setupResources);
    expect(service.resources).toEqual(options.resources);
    expect(pod.spec.volumes).toEqual([
      { name: "tmp", emptyDir: {} },
      { name: "election", configMap: { name: "city-council-election" } },
      { name: "secret-database", secret: { secretName: "livetally-pg-app", defaultMode: 0o440 } },
      { name: "secret-kafka", secret: { secretName: "city-council-voting", defaultMode: 0o440 } },
    ]);
  });

  it("gives both the election document, only the service its Kafka principal, probes and metrics port", () => {
    const env = (c: Json) => Object.fromEntries((c.env as Json[]).map((e) => [e.name, e.value]));
    const election = "/etc/livetally/election/election.yaml";
    expect(env(setup)).toEqual({
      DATABASE_URL_FILE: "/var/run/secrets/livetally/database/uri",
      ELECTION_FILE: election,
    });
    expect(env(service)).toEqual({
      DATABASE_URL_FILE: "/var/run/secrets/livetally/database/uri",
      ELECTION_FILE: election,
      KAFKA_SASL_USERNAME: "city-council-voting",
      KAFKA_SASL_PASSWORD_FILE: "/var/run/secrets/livetally/kafka/password",
    });
    expect(service.volumeMounts[3]).toEqual({
      mountPath: "/var/run/secrets/livetally/kafka",
      name: "secret-kafka",
      readOnly: true,
    });
    expect(setup.volumeMounts).toHaveLength(3);
    expect(setup.readinessProbe).toBeUndefined();
    expect(service.readinessProbe.httpGet).toMatchObject({ path: "/readyz", port: 9464 });
    expect(service.ports).toEqual([{ containerPort: 9464, name: "metrics" }]);
  });

  it("labels the pods as the services' and their election's, and restricts them", () => {
    expect(pod.metadata.labels).toMatchObject({
      "app.kubernetes.io/component": "services",
      "app.kubernetes.io/name": "livetally-example",
      "app.kubernetes.io/instance": "city-council",
    });
    expect(pod.metadata.annotations).toMatchObject({
      "prometheus.io/scrape": "true",
      "prometheus.io/port": "9464",
    });
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001 });
  });
});
