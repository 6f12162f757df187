import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { repoRoot, versions } from "../versions.js";
import { clusterObjects, synthesize } from "./app.js";
import { platformConfig } from "./config.js";
import { dockerBuild, dockerfileArgs, imageBuilds } from "./images.js";
import { kafkaDatasource } from "../dashboards/datasources.js";
import { flink, grafana, services } from "./names.js";
import { RUN_AS_ID } from "./lib/security.js";

// The build test compiles the services with tsc.
vi.setConfig({ testTimeout: 120_000 });

const read = (path: string) => readFileSync(join(repoRoot, path), "utf8");
const dockerfiles = ["producers/Dockerfile", "flink-sql/Dockerfile", "dashboards/Dockerfile"];

/** The instructions of a Dockerfile, continuation lines joined, comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const [op = "", ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(" ") };
    });
}

describe.each(dockerfiles)("%s", (path) => {
  const text = read(path);
  const steps = instructions(text);
  const froms = steps.filter((s) => s.op === "FROM").map((s) => s.args.split(/\s+/)[0] ?? "");
  const lastStage = steps.slice(steps.map((s) => s.op).lastIndexOf("FROM"));

  it("is multi-stage, with every base image pinned through versions.env", () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const keys = Object.keys(versions());
    for (const from of froms) {
      const tag = from.split(":")[1] ?? "";
      expect(tag, from).toMatch(/\$\{[A-Z0-9_]+\}/);
      // No literal version: the tag is ARG references and flavour suffixes (Java 17 is the runner's target).
      expect(tag.replace(/\$\{[A-Z0-9_]+\}/g, "").replace(/-java17$/, ""), from).not.toMatch(/\d/);
      expect(from).not.toMatch(/latest/);
    }
    for (const arg of dockerfileArgs(text)) expect(keys).toContain(arg);
    for (const used of text.matchAll(/\$\{([A-Z0-9_]+)\}/g)) expect(dockerfileArgs(text)).toContain(used[1]);
  });

  it("runs as a non-root user", () => {
    const user = lastStage.filter((s) => s.op === "USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it("copies only files that exist in the repository", () => {
    for (const s of steps.filter((x) => (x.op === "COPY" || x.op === "ADD") && !x.args.includes("--from"))) {
      const parts = s.args.split(/\s+/).filter((p) => !p.startsWith("--"));
      for (const src of parts.slice(0, -1))
        expect(existsSync(join(repoRoot, src)), `${path}: ${src}`).toBe(true);
    }
  });
});

describe("the services image", () => {
  const steps = instructions(read("producers/Dockerfile"));

  it("exposes the metrics port and starts with an exec-form command", () => {
    expect(steps.find((s) => s.op === "EXPOSE")?.args).toBe(String(services.httpPort));
    expect(steps.find((s) => s.op === "CMD")?.args).toMatch(/^\[/);
  });

  it("runs as the user and group the manifests run it as", () => {
    expect(steps.filter((s) => s.op === "USER").at(-1)?.args).toBe(`${RUN_AS_ID}:${RUN_AS_ID}`);
  });

  it("compiles every entrypoint the manifests run", async () => {
    const objects = clusterObjects(platformConfig("kind"));
    const entrypoints = new Set<string>();
    for (const o of objects as unknown as {
      kind: string;
      spec: { template?: { spec: Record<string, unknown> } };
    }[]) {
      const pod = o.spec?.template?.spec as
        { containers?: { command?: string[] }[]; initContainers?: { command?: string[] }[] } | undefined;
      for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
        // Node's own flags come first; the entrypoint is the first script.
        const script =
          c.command?.[0] === "node" ? c.command.slice(1).find((a) => !a.startsWith("--")) : undefined;
        if (script) entrypoints.add(script);
      }
    }
    expect([...entrypoints].sort()).toEqual([
      "controller/main.js",
      "producers/registration/main.js",
      "producers/setup/main.js",
      "producers/voting/main.js",
    ]);
    const out = mkdtempSync(join(tmpdir(), "livetally-dist-"));
    await promisify(execFile)("npx", ["--no-install", "tsc", "-p", "tsconfig.build.json", "--outDir", out], {
      cwd: repoRoot,
    });
    for (const e of entrypoints) expect(existsSync(join(out, e)), e).toBe(true);
    // What they compile from is what the image copies.
    const copied = steps.filter((s) => s.op === "COPY" && !s.args.startsWith("--from")).map((s) => s.args);
    for (const dir of readdirSync(out).filter((d) => !d.includes("."))) {
      expect(copied, dir).toContain(`${dir}/ ${dir}/`);
    }
  });
});

describe("the Flink image", () => {
  const text = read("flink-sql/Dockerfile");

  it("is the official Flink image of FLINK_VERSION with the runner and SQL where the FlinkDeployment looks", () => {
    expect(text).toMatch(/^FROM flink:\$\{FLINK_VERSION\}-java17$/m);
    expect(text).toContain(flink.jarUri.replace("local://", ""));
    expect(text).toMatch(new RegExp(`COPY .*flink-sql/sql/ ${flink.sqlDir}/`));
    expect(text).toMatch(/metrics-prometheus/);
  });
});

describe("the Grafana image", () => {
  const text = read("dashboards/Dockerfile");
  const steps = instructions(text);

  it("is the official Grafana of GRAFANA_VERSION with the Kafka plugin of GRAFANA_KAFKA_PLUGIN_VERSION, a release", () => {
    expect(steps.filter((s) => s.op === "FROM").map((s) => s.args.split(/\s+/)[0])).toEqual([
      "grafana/grafana:${GRAFANA_VERSION}",
      "grafana/grafana:${GRAFANA_VERSION}",
    ]);
    const install = steps.find((s) => s.op === "RUN" && s.args.includes("plugins install"))?.args ?? "";
    expect(install).toMatch(
      new RegExp(`plugins install ${kafkaDatasource.type} "\\$\\{GRAFANA_KAFKA_PLUGIN_VERSION\\}"$`),
    );
    // A release, never latest: the live panels are written for the fields of that release.
    expect(versions().GRAFANA_KAFKA_PLUGIN_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(versions().GRAFANA_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("keeps the plugin where Grafana looks and the pod mounts nothing, and runs as the manifests run it", () => {
    const dir = /^GF_PATHS_PLUGINS=(\S+)$/.exec(steps.find((s) => s.op === "ENV")?.args ?? "")?.[1] ?? "";
    expect(dir).toMatch(/^\//);
    expect(steps.find((s) => s.op === "COPY")?.args).toMatch(
      new RegExp(`^--from=plugins /tmp/plugins/ ${dir}/$`),
    );
    for (const profile of ["kind", "production"] as const) {
      const deployment = synthesize(platformConfig(profile)).find(
        (o) => o.kind === "Deployment" && o.metadata.name === grafana.name,
      ) as unknown as {
        spec: { template: { spec: { containers: { volumeMounts: { mountPath: string }[] }[] } } };
      };
      for (const m of deployment.spec.template.spec.containers[0]?.volumeMounts ?? [])
        expect(`${dir}/`.startsWith(`${m.mountPath}/`), m.mountPath).toBe(false);
    }
    expect(steps.filter((s) => s.op === "USER").at(-1)?.args).toBe(`${RUN_AS_ID}:${RUN_AS_ID}`);
  });
});

describe("image builds", () => {
  it("build every image under the name the manifests pull, with pins from versions.env", () => {
    const config = platformConfig("kind");
    const builds = imageBuilds(config);
    const images = JSON.stringify(clusterObjects(config));
    for (const b of builds) expect(images).toContain(b.image);
    expect(builds.map((b) => b.dockerfile)).toEqual(dockerfiles);
    const flinkBuild = builds.find((b) => b.dockerfile === "flink-sql/Dockerfile");
    expect(flinkBuild?.buildArgs.FLINK_VERSION).toBe(versions().FLINK_VERSION);
    expect(builds.find((b) => b.dockerfile === "dashboards/Dockerfile")?.buildArgs).toEqual({
      GRAFANA_VERSION: versions().GRAFANA_VERSION,
      GRAFANA_KAFKA_PLUGIN_VERSION: versions().GRAFANA_KAFKA_PLUGIN_VERSION,
    });
    const servicesBuild = builds.find((b) => b.dockerfile === "producers/Dockerfile");
    expect(servicesBuild && dockerBuild(servicesBuild)).toEqual([
      "docker",
      "build",
      "--file",
      "producers/Dockerfile",
      "--tag",
      servicesBuild?.image,
      "--build-arg",
      `NODE_VERSION=${versions().NODE_VERSION}`,
      ".",
    ]);
  });

  it(".dockerignore keeps dependencies, build output and git out of the context", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const p of [".git", "node_modules", "dist", "**/target"]) expect(ignored).toContain(p);
  });
});
