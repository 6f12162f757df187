import { App, Chart } from "cdk8s";
import { describe, expect, it } from "vitest";
import { FlinkJob, FlinkServiceAccount, flinkVersionEnum, type FlinkJobProps } from "./flink-job.js";
import { chartObjects, type K8sObject } from "./meta.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const props: FlinkJobProps = {
  election: "city-council",
  image: "registry.example/livetally-flink:1.2.3",
  imagePullPolicy: "Always",
  flinkVersion: "2.0.0",
  sqlScripts: ["20-b.sql", "10-a.sql"],
  jobManager: { cpu: 1, memory: "2048m" },
  taskManager: { cpu: 2, memory: "4096m" },
  checkpointStorage: "5Gi",
  checkpointIntervalMs: 5000,
};

function synth(p: FlinkJobProps): K8sObject[] {
  const chart = new Chart(new App(), "test");
  new FlinkJob(chart, "flink", p);
  return chartObjects(chart);
}
const one = (objects: K8sObject[], kind: string) => objects.find((o) => o.kind === kind) as unknown as Json;

describe("FlinkJob", () => {
  it("runs the scripts it is given, in the order given, from the image's SQL folder", () => {
    const job = one(synth(props), "FlinkDeployment").spec.job;
    expect(job.args).toEqual(["/opt/flink/sql/20-b.sql", "/opt/flink/sql/10-a.sql"]);
  });

  it("runs the image it is given, as the operator names the Flink release", () => {
    const spec = one(synth(props), "FlinkDeployment").spec;
    expect(spec).toMatchObject({ image: props.image, imagePullPolicy: "Always", flinkVersion: "v2_0" });
    expect(spec.jobManager.resource).toEqual(props.jobManager);
    expect(spec.taskManager.resource).toEqual(props.taskManager);
    const env = spec.podTemplate.spec.containers[0].env as Json[];
    expect(env.find((e) => e.name === "FLINK_CHECKPOINT_INTERVAL")?.value).toBe("5000 ms");
  });

  it("defaults to parallelism 1, one slot per TaskManager and a ReadWriteOnce checkpoint volume", () => {
    const defaults = synth(props);
    expect(one(defaults, "FlinkDeployment").spec.job.parallelism).toBe(1);
    expect(one(defaults, "FlinkDeployment").spec.flinkConfiguration["taskmanager.numberOfTaskSlots"]).toBe(
      "1",
    );
    expect(one(defaults, "PersistentVolumeClaim").spec).toMatchObject({
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "5Gi" } },
    });
    const set = synth({
      ...props,
      parallelism: 6,
      slotsPerTaskManager: 2,
      checkpointAccessMode: "ReadWriteMany",
    });
    expect(one(set, "FlinkDeployment").spec.job.parallelism).toBe(6);
    expect(one(set, "FlinkDeployment").spec.flinkConfiguration["taskmanager.numberOfTaskSlots"]).toBe("2");
    expect(one(set, "PersistentVolumeClaim").spec.accessModes).toEqual(["ReadWriteMany"]);
  });

  it("tallies its election: its topics, group, job name and schema, as its own principal, on its own volume", () => {
    const objects = synth(props);
    const deployment = one(objects, "FlinkDeployment");
    expect(deployment.metadata.name).toBe("city-council-tally");
    expect(deployment.spec.serviceAccount).toBe("livetally-flink");
    const pod = deployment.spec.podTemplate;
    expect(pod.metadata.labels).toEqual({
      "app.kubernetes.io/name": "livetally-tally",
      "app.kubernetes.io/instance": "city-council",
    });
    const env = Object.fromEntries(
      (pod.spec.containers[0].env as Json[]).map((e) => [e.name, e.value as string]),
    );
    expect(env).toMatchObject({
      TALLY_JOB: "livetally-tallies-city-council",
      TALLY_GROUP: "livetally-tallies-city-council",
      VOTES_TOPIC: "city-council.votes",
      VOTERS_TOPIC: "city-council.voters",
      JDBC_URL: "jdbc:postgresql://livetally-pg-rw:5432/livetally?currentSchema=election_city_council",
    });
    expect(env.KAFKA_SASL_JAAS_CONFIG).toContain('username="city-council-tally"');
    expect(one(objects, "PersistentVolumeClaim").metadata.name).toBe("city-council-tally-checkpoints");
    expect(pod.spec.volumes).toEqual(
      expect.arrayContaining([
        { name: "flink-data", persistentVolumeClaim: { claimName: "city-council-tally-checkpoints" } },
        { name: "secret-kafka", secret: { secretName: "city-council-tally", defaultMode: 0o440 } },
      ]),
    );
    expect(objects.map((o) => o.kind).sort()).toEqual(["FlinkDeployment", "PersistentVolumeClaim"]);
  });

  it("binds the tally jobs' ServiceAccount to a Role naming each verb, no wildcard and no Services", () => {
    const chart = new Chart(new App(), "test");
    new FlinkServiceAccount(chart, "flink");
    const objects = chartObjects(chart);
    const role = one(objects, "Role");
    expect(one(objects, "RoleBinding").subjects).toEqual([
      { kind: "ServiceAccount", name: "livetally-flink" },
    ]);
    expect(JSON.stringify(role.rules)).not.toContain("*");
    expect(role.rules.flatMap((r: Json) => r.resources)).toEqual([
      "pods",
      "configmaps",
      "deployments",
      "deployments/finalizers",
    ]);
  });

  it("refuses a Flink release the operator does not know", () => {
    expect(flinkVersionEnum("2.0.1")).toBe("v2_0");
    expect(() => flinkVersionEnum("0.1.0")).toThrow(/knows no flinkVersion v0_1/);
  });
});
