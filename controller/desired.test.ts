import { describe, expect, it } from "vitest";
import { electionObjects } from "../cdk8s/app.js";
import { platformConfig } from "../cdk8s/config.js";
import { labels } from "../cdk8s/names.js";
import { exampleElection } from "../tests/support/example-elections.js";
import { desiredObjects, ownedKinds, versionOf } from "./desired.js";
import type { ElectionResource } from "./election-resource.js";
import type { Platform } from "./platform.js";

const election = exampleElection("city-council.yaml");
const config = platformConfig("production");
const platform: Platform = {
  config,
  files: { versions: { FLINK_VERSION: "2.0.0" }, sqlScripts: ["10-sources.sql"] },
};
const resource: ElectionResource = {
  apiVersion: "livetally.io/v1alpha1",
  kind: "Election",
  metadata: { name: election.metadata.name, namespace: "elections-ns", uid: "1234", generation: 2 },
  spec: election.spec,
};

describe("the objects the controller applies for an Election", () => {
  const desired = desiredObjects(platform, resource, election);

  it("are electionObjects', in the Election's namespace, labelled as the controller's and owned by the Election", () => {
    const plain = electionObjects(config, election, platform.files);
    expect(desired.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      plain.map((o) => `${o.kind}/${o.metadata.name}`),
    );
    for (const o of desired) {
      expect(o.metadata.namespace).toBe("elections-ns");
      expect(o.metadata.labels?.[labels.managedBy]).toBe("livetally-controller");
      expect(o.metadata.labels?.[labels.instance]).toBe(election.metadata.name);
      expect((o.metadata as { ownerReferences?: unknown }).ownerReferences).toEqual([
        {
          apiVersion: "livetally.io/v1alpha1",
          kind: "Election",
          name: election.metadata.name,
          uid: "1234",
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
  });

  it("are only of the kinds the controller watches", () => {
    const watched = new Set<string>(ownedKinds.map((k) => `${k.apiVersion}/${k.kind}`));
    for (const o of desired)
      expect(watched, `${o.apiVersion}/${o.kind}`).toContain(`${o.apiVersion}/${o.kind}`);
  });

  it("are told changed by their generation, or their resourceVersion where they have none", () => {
    expect(versionOf({ metadata: { generation: 4, resourceVersion: "99" } })).toBe("g4");
    expect(versionOf({ metadata: { resourceVersion: "99" } })).toBe("r99");
  });
});
