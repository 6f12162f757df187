import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { synthesize, type K8sObject } from "../cdk8s/app.js";
import { platformConfig, profiles } from "../cdk8s/config.js";
import { DASHBOARD_LABEL } from "../cdk8s/lib/grafana.js";
import { allDashboards, writeDashboards } from "./build.js";
import { knownDatasources } from "./datasources.js";

/**
 * The cdk8s app mounts every dashboards/build/*.json into Grafana at synth time: after `make
 * dashboards`, each profile's manifests carry every dashboard, and Grafana is provisioned with the
 * datasource UIDs the panels name.
 */
type ConfigMap = K8sObject & { readonly data?: Record<string, string> };

const dashboards = allDashboards();

beforeAll(() => {
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
