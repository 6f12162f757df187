import { beforeAll, describe, expect, it } from "vitest";
import { clusterObjects, type K8sObject } from "../../cdk8s/app.js";
import { platformConfig } from "../../cdk8s/config.js";
import { ensureHelmAsync } from "../../cdk8s/helm/helm.js";
import { summaryLine, validateAll } from "../../cdk8s/validate/run.js";
import { apiServer, serverDryRun, type ApiServer } from "../../cdk8s/validate/server.js";
import { ensureLintersAsync } from "../../cdk8s/validate/tools.js";
import { paths } from "./support/kubernetes.js";

/**
 * `make validate` whole, against the local stack's real API server: every stage, the server-side
 * dry run of the four renderings included; and that dry run refusing what the API server refuses.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let server: ApiServer;

beforeAll(async () => {
  await ensureHelmAsync();
  await ensureLintersAsync();
  const found = apiServer(paths.adminKubeconfig);
  if (typeof found === "string") throw new Error(found);
  server = found;
}, 900_000);

describe("make validate", () => {
  it("ends with the summary line and finds no error", () => {
    const lines: string[] = [];
    const summary = validateAll((l) => lines.push(l), paths.adminKubeconfig);
    console.log(lines.filter((l) => l.includes("server")).join("\n"));
    expect(summary.errors).toEqual([]);
    expect(lines.some((l) => l.includes("lint helm production values: checkov passed="))).toBe(true);
    expect(
      lines.filter((l) => / server .*accepted by kube-apiserver v1\.33\.\d+ \(dry run\), 0 error/.test(l)),
    ).toHaveLength(4);
    expect(summaryLine(summary)).toMatch(
      /^validate: objects=\d+ profiles=2 helm=ok lint=ok server=ok errors=0$/,
    );
  }, 600_000);

  it("fails the server stage without an API server, and says why", () => {
    expect(apiServer(undefined)).toMatch(/no kubeconfig: set KUBECONFIG/);
    expect(apiServer("/nonexistent/kubeconfig")).toMatch(/no kubeconfig at/);
  });

  it("has the API server refuse what it would refuse to store, each in its own words", () => {
    const objects = structuredClone(clusterObjects(platformConfig("kind"))) as unknown as Json[];
    const voting = objects.find(
      (o) => o.kind === "Deployment" && o.metadata.name === "general-2026-voting",
    ) as Json;
    voting.spec.replicas = -1;
    const election = objects.find((o) => o.kind === "Election") as Json;
    election.spec.regions[0].electorateShare = 0.01;
    const topic = objects.find((o) => o.kind === "KafkaTopic") as Json;
    topic.spec.partitions = "six";
    const result = serverDryRun(server, objects as unknown as K8sObject[]);
    expect(result.errors.join("\n")).toMatch(/general-2026-voting.*spec\.replicas: Invalid value: -1/);
    expect(result.errors.join("\n")).toMatch(/general-2026.*electorate shares must sum to 1/);
    expect(result.errors.join("\n")).toMatch(/KafkaTopic.*spec\.partitions: expected numeric/);
    expect(result.errors).toHaveLength(3);
    expect(result.accepted).toBe(objects.length - 3);
  });
});
