import { App, Chart } from "cdk8s";
import { describe, expect, it } from "vitest";
import { FlinkJob, flinkVersionEnum, type FlinkJobProps } from "./flink-job.js";
import { chartObjects, type K8sObject } from "./meta.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const props: FlinkJobProps = {
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

  it("binds its ServiceAccount to a Role naming each verb, no wildcard and no Services", () => {
    const objects = synth(props);
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
