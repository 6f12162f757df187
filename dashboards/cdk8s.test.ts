import { join } from "node:path";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { synthesize, type K8sObject } from "../cdk8s/app.js";
import { platformConfig, profiles } from "../cdk8s/config.js";
import { DASHBOARD_LABEL } from "../cdk8s/lib/grafana.js";
import { allDashboards, buildDir, writeDashboards } from "./build.js";
import { knownDatasources } from "./datasources.js";

/**
 * The cdk8s app mounts every dashboards/build/*.json into Grafana at synth time: after `make
 * dashboards`, each profile's manifests carry every dashboard, and Grafana is provisioned with the
 * datasource UIDs the panels name.
 *
 * The dashboards are built into a checkout of their own, the repository with every other top-level
 * entry linked in, so that this test never rewrites the real dashboards/build while cdk8s's own tests,
 * in another worker, compare the ConfigMap with it.
 */
const root = await vi.hoisted(async () => {
  const fs = await import("node:fs");
  const os = await import("node:os");
  const path = await import("node:path");
  const url = await import("node:url");
  const repo = path.dirname(path.dirname(url.fileURLToPath(import.meta.url)));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "livetally-dashboards-"));
  for (const entry of fs.readdirSync(repo)) {
    if (entry !== "dashboards" && entry !== ".git")
      fs.symlinkSync(path.join(repo, entry), path.join(dir, entry));
  }
  return dir;
});
vi.mock("../versions.js", async (original) => ({ ...(await original<object>()), repoRoot: root }));

type ConfigMap = K8sObject & { readonly data?: Record<string, string> };

const dashboards = allDashboards();

// Removes the links, never what they point to.
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(() => {
  expect(buildDir).toBe(join(root, "dashboards", "build"));
  writeDashboards();
});

describe.each(profiles)("the %s manifests", (profile) => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = synthesize(platformConfig(profile));
  });

  it("carry every dashboard, as built, in a ConfigMap labelled for Grafana", () => {
    const mounted = new Map<string, unknown>();
    for (const cm of objects.filter((o) => o.kind === "ConfigMap") as ConfigMap[]) {
      if (cm.metadata.labels?.[DASHBOARD_LABEL] !== "1") continue;
      for (const json of Object.values(cm.data ?? {})) {
        const dashboard = JSON.parse(json) as { uid: string };
        mounted.set(dashboard.uid, dashboard);
      }
    }
    for (const d of dashboards) expect(mounted.get(d.uid), d.uid).toEqual(d);
  });

  it("provision Grafana with the datasource UIDs and types the panels name", () => {
    const provisioned = (objects.filter((o) => o.kind === "ConfigMap") as ConfigMap[]).flatMap((cm) =>
      Object.values(cm.data ?? {})
        .map((text) => (text.includes("datasources:") ? (parse(text) as { datasources?: unknown[] }) : {}))
        .flatMap((doc) => (doc.datasources ?? []) as { uid: string; type: string }[]),
    );
    for (const ds of knownDatasources) {
      expect(provisioned).toContainEqual(expect.objectContaining({ uid: ds.uid, type: ds.type }));
    }
  });
});
