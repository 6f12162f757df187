import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { repoRoot, versions } from "../../versions.js";
import { clusterObjects } from "../app.js";
import { platformConfig } from "../config.js";
import { imageBuilds } from "../images.js";

vi.setConfig({ testTimeout: 120_000 });

const v = versions();
// --old-file=node_modules: a test must never reinstall the dependencies it is running on.
const dryRun = (target: string) =>
  execFileSync("make", ["--no-print-directory", "--old-file=node_modules", target], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, DRY_RUN: "1" },
  });
const mtime = (path: string) => (existsSync(path) ? statSync(path).mtimeMs : undefined);

describe("DRY_RUN=1 make kind-up", () => {
  const kindBin = join(repoRoot, "bin", "kind");
  const clusterConfig = join(repoRoot, "build", "kind", "cluster.yaml");
  const before = [mtime(kindBin), mtime(clusterConfig)];
  const out = dryRun("kind-up");
  const commands = out
    .split("\n")
    .filter((l) => l.startsWith("  + "))
    .map((l) => l.slice(4));

  it("prints commands and changes nothing", () => {
    expect(commands.length).toBeGreaterThan(20);
    expect([mtime(kindBin), mtime(clusterConfig)]).toEqual(before);
  });

  it("puts pinned kind, kubectl and helm into ./bin", () => {
    expect(out).toContain(`go install sigs.k8s.io/kind@${v.KIND_VERSION}`);
    expect(out).toContain("make --no-print-directory kubectl");
    expect(out).toContain("make --no-print-directory helm");
  });

  it("creates a kind cluster of the pinned Kubernetes with Grafana's port on the host, unless it exists", () => {
    expect(out).toContain(`image: kindest/node:${v.KUBECTL_VERSION}`);
    expect(out).toMatch(/containerPort: 30300\s+hostPort: 3000/);
    expect(out).toMatch(/unless: .*kind get clusters .*grep -qx livetally/);
    expect(commands.some((c) => /kind create cluster --name livetally --config /.test(c))).toBe(true);
  });

  it("installs cert-manager, Prometheus and the operators from their charts at the pinned versions", () => {
    const charts: [string, string][] = [
      ["oci://quay.io/jetstack/charts/cert-manager", v.CERT_MANAGER_VERSION],
      ["kube-prometheus-stack", v.KUBE_PROMETHEUS_STACK_VERSION],
      ["oci://quay.io/strimzi-helm/strimzi-kafka-operator", v.STRIMZI_VERSION],
      ["cloudnative-pg", v.CLOUDNATIVEPG_CHART_VERSION],
      ["flink-kubernetes-operator", v.FLINK_OPERATOR_VERSION],
    ];
    const helmInstalls = commands.filter((c) => c.includes("helm upgrade --install"));
    for (const [chart, version] of charts) {
      expect(
        helmInstalls.some((c) => c.includes(` ${chart} `) && c.includes(`--version ${version} `)),
        chart,
      ).toBe(true);
    }
    // cert-manager comes before the Flink operator, whose webhook needs it.
    const index = (s: string) => helmInstalls.findIndex((c) => c.includes(s));
    expect(index("cert-manager")).toBeLessThan(index("flink-kubernetes-operator"));
  });

  it("builds both images and loads them into kind, then installs charts/livetally", () => {
    for (const b of imageBuilds(platformConfig("kind"))) {
      expect(
        commands.some((c) => c.startsWith(`docker build --file ${b.dockerfile} --tag ${b.image} `)),
      ).toBe(true);
      expect(commands.some((c) => c.endsWith(`kind load docker-image ${b.image} --name livetally`))).toBe(
        true,
      );
    }
    const install = commands.findIndex((c) =>
      /helm upgrade --install livetally \S*charts\/livetally /.test(c),
    );
    const lastLoad = commands.map((c) => c.includes("kind load")).lastIndexOf(true);
    expect(install).toBeGreaterThan(lastLoad);
  });

  it("waits for every resource the platform and its example Election need, one by one, with progress", () => {
    const objects = clusterObjects(platformConfig("kind"));
    const awaited = ["Cluster", "Kafka", "KafkaTopic", "KafkaUser", "Deployment", "Job", "FlinkDeployment"];
    const waits = commands.filter((c) => c.includes(" wait ") || c.includes(" rollout status "));
    for (const o of objects.filter((x) => awaited.includes(x.kind))) {
      expect(
        waits.some((w) => w.includes(`/${o.metadata.name} `)),
        `${o.kind} ${o.metadata.name}`,
      ).toBe(true);
    }
    expect(out).toMatch(/ready 1\/\d+: /);
  });

  it("installs the platform without elections, then applies the example Election and lists the elections", () => {
    const install = commands.find((c) => /helm upgrade --install livetally /.test(c)) ?? "";
    expect(install).toMatch(/--set elections=\{\}$/);
    const apply = commands.findIndex((c) =>
      /kubectl .* apply --filename \S*build\/kind\/election\.yaml$/.test(c),
    );
    expect(apply).toBeGreaterThan(commands.indexOf(install));
    expect(out).toMatch(/kind: Election\n[\s\S]*name: general-2026\n[\s\S]*voters: 1000\n/);
    expect(commands[apply + 1]).toMatch(
      /wait election\.livetally\.io\/general-2026 --for=condition=Provisioned/,
    );
    expect(commands.at(-1)).toMatch(/kubectl --context kind-livetally --namespace livetally get elections$/);
  });

  it("only ever talks to the kind cluster, and ends with Grafana's URL and credentials", () => {
    for (const c of commands.filter((x) => /bin\/(kubectl|helm) /.test(x) && !x.includes("make"))) {
      expect(c).toMatch(/--(kube-)?context kind-livetally/);
    }
    expect(out).not.toMatch(/:latest\b/);
    const tail = out.trimEnd().split("\n").slice(-3).join("\n");
    expect(tail).toMatch(/^Grafana: http:\/\/localhost:3000$/m);
    expect(tail).toMatch(/admin-password: .*get secret livetally-grafana-admin/);
  });
});

describe("DRY_RUN=1 make kind-down", () => {
  it("deletes the kind cluster, and only when it exists", () => {
    const out = dryRun("kind-down");
    expect(out).toMatch(/\+ \S*bin\/kind delete cluster --name livetally$/m);
    expect(out).toMatch(/unless: .*kind get clusters/);
  });
});
