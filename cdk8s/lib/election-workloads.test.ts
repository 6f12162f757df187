import { join } from "node:path";
import { App, Chart } from "cdk8s";
import { describe, expect, it } from "vitest";
import { parseElection, readElectionFile, requireElection } from "../../schemas/election/load.js";
import { electionNames } from "../../schemas/election/names.js";
import { repoRoot } from "../../versions.js";
import { platformConfig } from "../config.js";
import { ElectionWorkloads } from "./election-workloads.js";
import { chartObjects, type K8sObject } from "./meta.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const example = (name: string) => {
  const file = join(repoRoot, "elections", `${name}.yaml`);
  return requireElection(readElectionFile(file), file);
};
const councilElection = example("city-council");
const generalElection = example("general-2026");

function synth(...elections: (typeof councilElection)[]): K8sObject[] {
  const chart = new Chart(new App(), "test", { disableResourceNameHashes: true });
  for (const election of elections) {
    new ElectionWorkloads(chart, election.metadata.name, {
      config: platformConfig("kind"),
      election,
      flinkVersion: "2.0.0",
      sqlScripts: ["10-sources.sql"],
    });
  }
  return chartObjects(chart);
}
const refs = (objects: K8sObject[]) => objects.map((o) => `${o.kind} ${o.metadata.name}`).sort();

describe("ElectionWorkloads", () => {
  const council = synth(councilElection);
  const name = councilElection.metadata.name;

  it("makes an election's topics, principals, document, registration, voting and tally, named after it", () => {
    const names = electionNames(name);
    expect(refs(council)).toEqual(
      [
        ...Object.values(names.topics).map((t) => `KafkaTopic ${t.name.replaceAll("_", "-")}`),
        `KafkaUser ${name}-registration`,
        `KafkaUser ${name}-voting`,
        `KafkaUser ${name}-tally`,
        `ConfigMap ${name}-election`,
        `Job ${name}-registration`,
        `Deployment ${name}-voting`,
        `FlinkDeployment ${name}-tally`,
        `PersistentVolumeClaim ${name}-tally-checkpoints`,
      ].sort(),
    );
    for (const o of council)
      expect(o.metadata.labels?.["app.kubernetes.io/instance"], refs([o])[0]).toBe(name);
    const topics = council.filter((o) => o.kind === "KafkaTopic") as unknown as Json[];
    for (const spec of Object.values(names.topics)) {
      const topic = topics.find((t) => t.spec.topicName === spec.name)?.spec;
      expect(topic).toMatchObject({ partitions: spec.partitions, replicas: 1 });
      expect(topic.config).toMatchObject({ ...spec.config, "min.insync.replicas": 1 });
    }
  });

  it("holds the election document in its ConfigMap, as the services read it back", () => {
    const cm = council.find((o) => o.kind === "ConfigMap") as unknown as Json;
    expect(Object.keys(cm.data)).toEqual(["election.yaml"]);
    expect(requireElection(parseElection(cm.data["election.yaml"]), "the ConfigMap")).toEqual(
      councilElection,
    );
  });

  it("lets each principal touch its own election's topics and groups only", () => {
    const resources = (objects: K8sObject[]) =>
      (objects.filter((o) => o.kind === "KafkaUser") as unknown as Json[]).flatMap((u) =>
        (u.spec.authorization.acls as Json[]).map((a) => a.resource),
      );
    const names = electionNames(name);
    const own = new Set([
      ...Object.values(names.topics).map((t) => t.name),
      names.votingGroup,
      names.tallyGroup,
    ]);
    for (const r of resources(council)) {
      expect(r.patternType).toBe("literal");
      expect(own).toContain(r.name);
    }
  });

  it("installs two elections side by side without a name in common", () => {
    const both = synth(councilElection, generalElection);
    expect(new Set(refs(both)).size).toBe(both.length);
    expect(both.length).toBe(2 * council.length);
  });
});
