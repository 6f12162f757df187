import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { readElectionFile, requireElection } from "../../schemas/election/load.js";
import { repoRoot } from "../../versions.js";
import {
  clusterObjects,
  controlledObjects,
  dashboardFiles,
  grafanaKafkaUser,
  type K8sObject,
} from "../app.js";
import { platformConfig, profiles } from "../config.js";
import { grafana } from "../names.js";
import { buildChart, chartDir, staleFiles } from "../helm/chart.js";
import { ensureHelm, ensureHelmAsync, helmLint, helmTemplate, productionValues } from "../helm/helm.js";
import { writeDashboards } from "../../dashboards/build.js";
import { checkAll, checkDefaultDeny, checkRbac, checkReferences, checkWorkloads } from "./crossrefs.js";
import { SchemaValidator } from "./schemas.js";
import { controllerWillApply } from "./controlled.js";

// Compiling the CRD schemas and running helm take seconds each on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const schemas = new SchemaValidator();
/** Each profile as the cluster holds it: the platform, its Elections and what the controller makes of them. */
const synthesized = Object.fromEntries(profiles.map((p) => [p, clusterObjects(platformConfig(p))]));
/** A chart rendering as the cluster holds it once the controller has run its Elections. */
const withController = (objects: readonly K8sObject[]) => [...objects, ...controllerWillApply(objects)];
const kind = synthesized.kind as K8sObject[];
const copy = () => structuredClone(kind) as unknown as Json[];
function must(objects: Json[], test: (o: Json) => boolean): Json {
  const found = objects.find(test);
  if (!found) throw new Error("no such object");
  return found;
}
const voting = (objects: Json[]) =>
  must(objects, (o) => o.kind === "Deployment" && o.metadata.name === "general-2026-voting");
const messages = (problems: { object: string; message: string }[]) =>
  problems.map((p) => `${p.object}: ${p.message}`);

describe("schemas", () => {
  it.each(profiles)("every object of the %s profile validates against Kubernetes 1.33 or its CRD", (p) => {
    expect(messages(schemas.validate(synthesized[p] as K8sObject[]))).toEqual([]);
  });

  it("rejects an unknown field, a wrong type and an unknown kind", () => {
    const objects = copy();
    voting(objects).spec.template.spec.containers[0].imagePullPolicie = "Always";
    const kafka = must(objects, (o) => o.kind === "Kafka");
    kafka.spec.kafka.listenerz = [];
    const topic = must(objects, (o) => o.kind === "KafkaTopic");
    topic.spec.partitions = "six";
    objects.push({ apiVersion: "example.com/v1", kind: "Gadget", metadata: { name: "g" } });
    const found = messages(schemas.validate(objects as unknown as K8sObject[])).join("\n");
    expect(found).toMatch(/Deployment general-2026-voting: .*imagePullPolicie/);
    expect(found).toMatch(/Kafka livetally: .*listenerz/);
    expect(found).toMatch(/KafkaTopic .*partitions must be integer/);
    expect(found).toMatch(/no schema for example.com\/v1 Gadget/);
  });
});

describe("cross-references", () => {
  it.each(profiles)("hold in the %s profile", (p) => {
    expect(messages(checkAll(synthesized[p] as K8sObject[]))).toEqual([]);
  });

  it("finds a missing Secret, ConfigMap, Service, topic and database", () => {
    const objects = copy().filter(
      (o) =>
        !(o.kind === "Secret" && o.metadata.name === "livetally-pg-registry") &&
        !(o.kind === "ConfigMap" && o.metadata.name === "livetally-services") &&
        !(o.kind === "Service" && o.metadata.name === "livetally-registry") &&
        !(o.kind === "KafkaTopic" && o.spec.topicName === "general-2026.votes") &&
        o.kind !== "Database",
    );
    const found = messages(checkReferences(objects as unknown as K8sObject[])).join("\n");
    expect(found).toMatch(/Deployment livetally-registry: Secret livetally-pg-registry does not exist/);
    expect(found).toMatch(/Deployment general-2026-voting: ConfigMap livetally-services does not exist/);
    expect(found).toMatch(/FlinkDeployment general-2026-tally: Service livetally-registry does not exist/);
    expect(found).toMatch(/KafkaUser general-2026-voting: topic general-2026\.votes does not exist/);
    expect(found).toMatch(/Deployment livetally-registry: database registry does not exist/);
  });

  it("finds a workload without resources, probes, restricted context or pinned image", () => {
    const objects = copy();
    const c = voting(objects).spec.template.spec.containers[0];
    delete c.resources;
    delete c.readinessProbe;
    c.image = "livetally/livetally-services:latest";
    c.securityContext.allowPrivilegeEscalation = true;
    c.securityContext.capabilities = {};
    const registry = must(
      objects,
      (o) => o.kind === "Deployment" && o.metadata.name === "livetally-registry",
    );
    delete registry.spec.template.spec.containers[0].resources.limits["ephemeral-storage"];
    const found = messages(checkWorkloads(objects as unknown as K8sObject[])).join("\n");
    for (const want of [
      /voting: needs cpu, memory and ephemeral-storage requests/,
      /registry: needs memory and ephemeral-storage limits/,
      /probes/,
      /not pinned/,
      /allowPrivilegeEscalation/,
      /drop ALL/,
    ]) {
      expect(found).toMatch(want);
    }
  });

  it("finds a Secret in the environment of any pod, the Flink operator's included", () => {
    const objects = copy();
    const flink = must(objects, (o) => o.kind === "FlinkDeployment").spec.podTemplate.spec.containers[0];
    flink.env.push({
      name: "JDBC_PASSWORD",
      valueFrom: { secretKeyRef: { name: "livetally-pg-app", key: "password" } },
    });
    voting(objects).spec.template.spec.containers[0].envFrom.push({
      secretRef: { name: "livetally-pg-app" },
    });
    expect(messages(checkWorkloads(objects as unknown as K8sObject[]))).toEqual([
      "Deployment general-2026-voting: container voting: takes a Secret's keys as variables; mount it as files instead",
      "FlinkDeployment general-2026-tally: container flink-main-container: JDBC_PASSWORD comes from a Secret; mount the Secret as a file instead",
    ]);
  });

  it("finds a wildcard in any rule of a Role, not only the first", () => {
    const objects = copy();
    const role = must(objects, (o) => o.kind === "Role");
    role.rules.push({ apiGroups: [""], resources: ["secrets"], verbs: ["*"] });
    role.rules[0].resources = ["pods/*"];
    expect(messages(checkRbac(objects as unknown as K8sObject[]))).toEqual([
      "Role livetally-flink: rule 0: a wildcard in resources",
      `Role livetally-flink: rule ${role.rules.length - 1}: a wildcard in verbs`,
    ]);
  });

  it("finds a namespace without a default-deny policy", () => {
    const objects = copy().filter((o) => o.metadata.name !== "default-deny");
    expect(messages(checkDefaultDeny(objects as unknown as K8sObject[]))).toEqual([
      "Namespace livetally: has no default-deny NetworkPolicy",
    ]);
  });
});

describe("the Helm chart", () => {
  beforeAll(async () => {
    await ensureHelmAsync();
  }, 900_000);

  it("is what the cdk8s app generates (run `make chart` when this fails)", () => {
    expect(staleFiles()).toEqual([]);
  });

  it("ships every dashboard of dashboards/, as make dashboards builds it", () => {
    const { files } = buildChart();
    const dir = mkdtempSync(join(tmpdir(), "dashboards-"));
    writeDashboards(dir);
    const built = dashboardFiles(dir);
    expect(Object.keys(built).length).toBeGreaterThan(0);
    for (const [name, json] of Object.entries(built)) expect(files.get(`dashboards/${name}`)).toBe(json);
    const rendered = helmTemplate() as unknown as Json[];
    const cm = must(rendered, (o) => o.kind === "ConfigMap" && o.metadata.name === "livetally-dashboards");
    expect(cm.metadata.labels.grafana_dashboard).toBe("1");
    expect(Object.keys(cm.data).sort()).toEqual(Object.keys(built).sort());
  });

  it.each([
    ["default", []],
    ["production", [productionValues]],
  ] as const)("lints and renders with %s values into valid, consistent objects", (_name, files) => {
    helmLint(files);
    const objects = withController(helmTemplate(files));
    expect(objects.length).toBeGreaterThan(40);
    expect(messages(schemas.validate(objects))).toEqual([]);
    expect(messages(checkAll(objects))).toEqual([]);
  });

  it("renders production values like the production profile, object for object", () => {
    const rendered = withController(helmTemplate([productionValues]));
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
    // Helm installs the chart's crds/ apart from its templates.
    const synthesizedKeys = (synthesized.production as K8sObject[])
      .filter((o) => o.kind !== "Namespace" && o.kind !== "CustomResourceDefinition")
      .map(key);
    expect(rendered.map(key).sort()).toEqual(synthesizedKeys.sort());
    const pools = rendered.filter((o) => o.kind === "KafkaNodePool") as unknown as Json[];
    expect(pools.map((p) => [p.metadata.name, p.spec.replicas, p.spec.roles])).toEqual(
      expect.arrayContaining([
        ["brokers", 3, ["broker"]],
        ["controllers", 3, ["controller"]],
      ]),
    );
  });

  it("renders default values as the kind profile: one combined Kafka node, Grafana on a NodePort", () => {
    const rendered = helmTemplate() as unknown as Json[];
    const pools = rendered.filter((o) => o.kind === "KafkaNodePool");
    expect(pools.map((p) => [p.spec.replicas, p.spec.roles])).toEqual([[1, ["controller", "broker"]]]);
    const svc = must(rendered, (o) => o.kind === "Service" && o.metadata.name === "livetally-grafana");
    expect(svc.spec.ports[0].nodePort).toBe(30300);
    expect(rendered.filter((o) => o.kind === "PodDisruptionBudget")).toEqual([]);
  });

  it("renders big integers as integers, not in Helm's float notation, for the controller too", () => {
    const objects = withController(
      helmTemplate(
        [],
        ["voting.replicas=2000000", "flink.parallelism=12345678", "controller.replicas=3000000"],
      ),
    ) as unknown as Json[];
    expect(
      must(objects, (o) => o.kind === "Deployment" && o.metadata.name === "livetally-controller").spec
        .replicas,
    ).toBe(3000000);
    expect(
      must(objects, (o) => o.kind === "Deployment" && o.metadata.name === "general-2026-voting").spec
        .replicas,
    ).toBe(2000000);
    expect(must(objects, (o) => o.kind === "FlinkDeployment").spec.job.parallelism).toBe(12345678);
  });

  it("installs the elections its values list as Elections, which the controller runs, and none when none is listed", () => {
    const council = join(repoRoot, "elections", "city-council.yaml");
    const general = join(repoRoot, "elections", "general-2026.yaml");
    const production = platformConfig("production");
    const elections = [council, general].map((f) => requireElection(readElectionFile(f), f));
    const two = helmTemplate([productionValues], ["elections={general-2026,city-council}"]);
    const installed = two.filter((o) => o.kind === "Election") as unknown as Json[];
    expect(installed.map((e) => [e.metadata.name, e.metadata.namespace]).sort()).toEqual([
      ["city-council", "livetally"],
      ["general-2026", "livetally"],
    ]);
    for (const e of elections) {
      expect(installed.find((i) => i.metadata.name === e.metadata.name)?.spec).toEqual(e.spec);
    }
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
    expect(controllerWillApply(two).map(key).sort()).toEqual(
      controlledObjects(production, elections).map(key).sort(),
    );
    expect(messages(schemas.validate(withController(two)))).toEqual([]);
    expect(messages(checkAll(withController(two)))).toEqual([]);
    const noElections = join(mkdtempSync(join(tmpdir(), "livetally-values-")), "values.yaml");
    writeFileSync(noElections, "elections: []\n");
    const none = helmTemplate([noElections]);
    expect(none.filter((o) => o.metadata.labels?.["app.kubernetes.io/instance"])).toEqual([]);
    expect(messages(checkAll(withController(none)))).toEqual([]);

    // Grafana's Kafka user, which the controller applies, reads the aggregated topics of exactly these.
    const grafanaUser = (objects: K8sObject[]) =>
      controllerWillApply(objects).find(
        (o) => o.kind === "KafkaUser" && o.metadata.name === grafana.kafkaUser,
      );
    expect(grafanaUser(two)).toEqual(grafanaKafkaUser(["city-council", "general-2026"]));
    expect(grafanaUser(none)).toEqual(grafanaKafkaUser([]));
    expect(grafanaUser(helmTemplate())).toEqual(grafanaKafkaUser(["general-2026"]));
    // The chart itself holds no KafkaUser of Grafana's: the controller is its one writer.
    expect(helmTemplate().filter((o) => o.kind === "KafkaUser")).toEqual([
      expect.objectContaining({ metadata: expect.objectContaining({ name: "livetally-controller" }) }),
    ]);
  });

  it("renders PodMonitors only where the Prometheus Operator's API exists", () => {
    expect(helmTemplate([], [], false).filter((o) => o.kind === "PodMonitor")).toEqual([]);
    expect(helmTemplate().filter((o) => o.kind === "PodMonitor").length).toBeGreaterThan(0);
  });

  it("leaves Grafana out when it is off, and uses an existing admin Secret when asked", () => {
    const off = helmTemplate([], ["grafana.enabled=false"]);
    expect(off.filter((o) => o.metadata.labels?.["app.kubernetes.io/component"] === "grafana")).toEqual([]);
    const own = helmTemplate(
      [],
      ["grafana.createAdminSecret=false", "grafana.adminSecret=my-grafana"],
    ) as unknown as Json[];
    expect(own.find((o) => o.kind === "Secret" && o.metadata.name === "my-grafana")).toBeUndefined();
    const grafana = must(own, (o) => o.kind === "Deployment" && o.metadata.name === "livetally-grafana");
    const secrets = grafana.spec.template.spec.volumes.map((v: Json) => v.secret?.secretName);
    expect(secrets).toContain("my-grafana");
  });

  it.each([
    [["kafka.brokers=0"], /at '\/kafka\/brokers': minimum: got 0, want 1/],
    [["images.tag=latest"], /images\.tag must pin a release/],
    [["flink.parallelism=two"], /at '\/flink\/parallelism'.*integer/],
    [["kafka.replicatoin=3"], /at '\/kafka'.*replicatoin/],
    [["kafka.replication=3"], /kafka\.replication \(3\) must not exceed kafka\.brokers \(1\)/],
  ])("rejects %j with a clear message", (set, message) => {
    let error = "";
    try {
      helmTemplate([], set);
    } catch (e) {
      error = String((e as { stderr?: string }).stderr ?? e);
    }
    expect(error).toMatch(message);
  });

  it("NOTES.txt says how to reach Grafana", () => {
    // helm renders NOTES.txt only on install, which needs a cluster: render it as a template instead.
    const dir = mkdtempSync(join(tmpdir(), "livetally-chart-"));
    cpSync(chartDir, dir, { recursive: true });
    cpSync(join(chartDir, "templates", "NOTES.txt"), join(dir, "notes.txt"));
    writeFileSync(
      join(dir, "templates", "render-notes.yaml"),
      'notes: {{ tpl (.Files.Get "notes.txt") . | quote }}\n',
    );
    const notes = (set: string[]) =>
      (
        parse(
          execFileSync(
            ensureHelm(),
            [
              "template",
              "livetally",
              dir,
              "-n",
              "livetally",
              "--show-only",
              "templates/render-notes.yaml",
              ...set.flatMap((x) => ["--set", x]),
            ],
            { encoding: "utf8" },
          ),
        ) as { notes: string }
      ).notes;
    const kindNotes = notes([]);
    expect(kindNotes).toMatch(/http:\/\/localhost:3000/);
    expect(kindNotes).toMatch(/get secret livetally-grafana-admin -o jsonpath='\{.data.admin-password\}'/);
    expect(notes(["grafana.serviceType=ClusterIP"])).toMatch(/port-forward svc\/livetally-grafana 3000:3000/);
    expect(notes(["grafana.enabled=false"])).toMatch(/Grafana is off/);
  });
});
