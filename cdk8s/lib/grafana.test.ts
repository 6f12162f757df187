import { App, Chart } from "cdk8s";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kafkaDatasource } from "../../dashboards/datasources.js";
import { DASHBOARD_LABEL, Grafana, type GrafanaProps } from "./grafana.js";
import { chartObjects, type K8sObject } from "./meta.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const resources = {
  requests: { cpu: "50m", memory: "192Mi", "ephemeral-storage": "512Mi" },
  limits: { memory: "192Mi", "ephemeral-storage": "512Mi" },
};
const props: GrafanaProps = { image: "example.org/livetally-grafana:1.0.0", resources };

function synth(p: GrafanaProps): K8sObject[] {
  const chart = new Chart(new App(), "test");
  new Grafana(chart, "grafana", p);
  return chartObjects(chart);
}
const find = (objects: K8sObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as unknown as Json | undefined;

describe("Grafana", () => {
  it("provisions the dashboards it is given from a ConfigMap labelled for a dashboard sidecar", () => {
    const dashboards = { "results.json": '{"title":"Results"}' };
    const cm = find(synth({ ...props, dashboards }), "ConfigMap", "livetally-dashboards");
    expect(cm?.metadata.labels[DASHBOARD_LABEL]).toBe("1");
    expect(cm?.data).toEqual(dashboards);
    expect(find(synth(props), "ConfigMap", "livetally-dashboards")?.data ?? {}).toEqual({});
  });

  it("defaults to one replica behind a ClusterIP Service, with an admin Secret of its own", () => {
    const objects = synth(props);
    const deployment = find(objects, "Deployment", "livetally-grafana")?.spec;
    expect(deployment.replicas).toBe(1);
    const container = deployment.template.spec.containers[0];
    expect(container.image).toBe(props.image);
    expect(container.imagePullPolicy).toBe("Always");
    expect(container.resources).toEqual(resources);
    expect(find(objects, "Service", "livetally-grafana")?.spec.type).toBe("ClusterIP");
    expect(find(objects, "Service", "livetally-grafana")?.spec.ports[0].nodePort).toBeUndefined();
    expect(find(objects, "Secret", "livetally-grafana-admin")?.stringData["admin-user"]).toBe("admin");
  });

  it("reads its credentials from files, and is alive without its database", () => {
    const objects = synth(props);
    const container = find(objects, "Deployment", "livetally-grafana")?.spec.template.spec.containers[0];
    const env = Object.fromEntries((container.env as Json[]).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      GF_SECURITY_ADMIN_USER: "$__file{/var/run/secrets/livetally/admin/admin-user}",
      GF_SECURITY_ADMIN_PASSWORD: "$__file{/var/run/secrets/livetally/admin/admin-password}",
    });
    expect((container.env as Json[]).filter((e) => e.valueFrom)).toEqual([]);
    const datasources = find(objects, "ConfigMap", "livetally-grafana-datasources")?.data["datasources.yaml"];
    expect(datasources).toContain("password: $__file{/var/run/secrets/livetally/database/password}");
    expect(container.volumeMounts).toContainEqual({
      mountPath: "/var/run/secrets/livetally/database",
      name: "secret-database",
      readOnly: true,
    });
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container.readinessProbe.httpGet.path).toBe("/api/health");
  });

  it("reads Kafka as its KafkaUser, with the password from the Secret Strimzi writes, mounted as a file", () => {
    const objects = synth({ ...props, kafkaUser: "reader", imagePullPolicy: "IfNotPresent" });
    const pod = find(objects, "Deployment", "livetally-grafana")?.spec.template.spec;
    expect(pod.containers[0].imagePullPolicy).toBe("IfNotPresent");
    expect(pod.volumes).toContainEqual({
      name: "secret-kafka",
      secret: { secretName: "reader", defaultMode: 0o440 },
    });
    expect(pod.containers[0].volumeMounts).toContainEqual({
      mountPath: "/var/run/secrets/livetally/kafka",
      name: "secret-kafka",
      readOnly: true,
    });
    const text = find(objects, "ConfigMap", "livetally-grafana-datasources")?.data[
      "datasources.yaml"
    ] as string;
    const kafka = (parse(text) as { datasources: Json[] }).datasources.find(
      (d) => d.uid === kafkaDatasource.uid,
    );
    expect(kafka).toEqual({
      name: "Kafka",
      ...kafkaDatasource,
      jsonData: {
        bootstrapServers: "livetally-kafka-bootstrap:9092",
        clientId: "reader",
        securityProtocol: "SASL_PLAINTEXT",
        saslMechanisms: "SCRAM-SHA-512",
        saslUsername: "reader",
        schemaRegistryUrl: "http://livetally-registry:8080/apis/ccompat/v7",
      },
      secureJsonData: { saslPassword: "$__file{/var/run/secrets/livetally/kafka/password}" },
    });
  });

  it("uses an admin Secret it is given, and a NodePort when asked", () => {
    const objects = synth({
      ...props,
      adminSecret: "own-admin",
      createAdminSecret: false,
      serviceType: "NodePort",
    });
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
    const pod = find(objects, "Deployment", "livetally-grafana")?.spec.template.spec;
    expect(pod.volumes).toContainEqual({
      name: "secret-admin",
      secret: { secretName: "own-admin", defaultMode: 0o440 },
    });
    const service = find(objects, "Service", "livetally-grafana")?.spec;
    expect(service).toMatchObject({ type: "NodePort", ports: [{ port: 3000, nodePort: 30300 }] });
  });
});
