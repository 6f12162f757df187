import { join } from "node:path";
import type { KubernetesObject } from "@kubernetes/client-node";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { electionObjects, grafanaKafkaUser } from "../../cdk8s/app.js";
import { platformConfig } from "../../cdk8s/config.js";
import { controller, grafana, labels, services } from "../../cdk8s/names.js";
import { ownedKinds } from "../../controller/desired.js";
import { metricNames, promTargetsOf, type DashboardJson } from "../../dashboards/model.js";
import { operationsDashboard } from "../../dashboards/operations/dashboard.js";
import { loadElection, withOverrides } from "../../local/election/document.js";
import { stopByPidFile } from "../../local/processes.js";
import { stackContext, stackEngines, stackUp } from "../../local/stack.js";
import { pollUntil } from "../../producers/runtime/waiting.js";
import type { Election } from "../../schemas/generated/election.js";
import { repoRoot } from "../../versions.js";
import {
  admin,
  applyElection,
  awaitElection,
  ControllerProcess,
  deleteElection,
  getElection,
  NAMESPACE,
  owned,
  sleep,
} from "./support/kubernetes.js";

/**
 * The controller on the local stack's real API server, with the restricted kubeconfig of its
 * ServiceAccount (so held to the chart's Role): the objects it makes of an Election, their owner, a
 * spec change, an object changed or deleted behind its back, a quiet Election left alone, and a
 * restart of the API server under its watches. No election's services run here.
 */
const NAME = "ctl-objects";
const election = withOverrides(loadElection(join(repoRoot, "elections", "city-council.yaml")), {
  name: NAME,
  voters: 1_000,
  rateLimit: 100,
});
/** As the controller builds them: the kind profile, which local/controller mounts for it. */
const expected = electionObjects(platformConfig("kind"), election);
const key = (o: { kind?: string; metadata?: { name?: string } }) => `${o.kind}/${o.metadata?.name}`;

let ctl: ControllerProcess;

/** Every object the Election owns, by kind/name (a list's items carry no kind: it is added). */
async function ownedObjects() {
  const found = await Promise.all(
    ownedKinds.map(async (k) =>
      (await owned(k.apiVersion, k.kind, NAME)).map((o) => ({ ...o, kind: k.kind })),
    ),
  );
  return found.flat();
}

function configMapDocument(data: Record<string, string> | undefined): Election {
  return parse(data?.[services.electionKey] ?? "") as Election;
}

async function configMap() {
  return admin().rest.get<{ data?: Record<string, string>; metadata?: { resourceVersion?: string } }>({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `${NAME}-election`, namespace: NAMESPACE },
  });
}

beforeAll(async () => {
  ctl = await ControllerProcess.start({
    identity: "objects-test",
    httpPort: 29561,
    // A lease long enough to ride out the API server's restart below: a leader that cannot renew
    // within its deadline stops leading and exits, for its Deployment to start it again.
    env: {
      RESYNC_SECONDS: "2",
      LEASE_DURATION_SECONDS: "90",
      LEASE_RENEW_DEADLINE_SECONDS: "60",
      LEASE_RETRY_PERIOD_SECONDS: "2",
    },
  });
  await pollUntil(async () => ((await ctl.isLeader()) ? true : undefined), {
    timeoutMs: 30_000,
    what: "the controller to lead",
  });
  // What an earlier run left, removed by the controller itself.
  await deleteElection(NAME);
});

afterAll(async () => {
  await deleteElection(NAME).catch(() => undefined);
  await ctl?.stop();
});

describe("the controller and an Election's objects", () => {
  it("applies what electionObjects makes, each owned by the Election, and says so in the status", async () => {
    await applyElection(election);
    const seen = await awaitElection(
      NAME,
      (e) => e.status?.observedGeneration === e.metadata?.generation,
      "observed",
    );
    expect(seen.status?.phase).toBe("Provisioning");
    expect(seen.status?.conditions?.find((c) => c.type === "Provisioned")).toMatchObject({
      status: "True",
      reason: "ObjectsApplied",
      message: `${expected.length} objects applied`,
    });
    expect(seen.metadata?.finalizers).toEqual([controller.finalizer]);
    const objects = await ownedObjects();
    expect(objects.map(key).sort()).toEqual(expected.map(key).sort());
    for (const o of objects) {
      expect(o.metadata?.ownerReferences, key(o)).toEqual([
        expect.objectContaining({ kind: "Election", name: NAME, uid: seen.metadata?.uid, controller: true }),
      ]);
      expect(o.metadata?.labels?.[labels.managedBy]).toBe(controller.name);
    }
    expect(configMapDocument((await configMap()).data)).toEqual(election);
    // Grafana may read this election's aggregated topics now.
    const user = await admin().rest.get<KubernetesObject & { spec?: unknown }>({
      apiVersion: "kafka.strimzi.io/v1",
      kind: "KafkaUser",
      metadata: { name: grafana.kafkaUser, namespace: NAMESPACE },
    });
    const acls = (user.spec as { authorization: { acls: { resource: { name: string } }[] } }).authorization
      .acls;
    const mine = (grafanaKafkaUser([NAME]).spec as typeof user.spec & { authorization: { acls: unknown[] } })
      .authorization.acls;
    expect(acls).toEqual(expect.arrayContaining(mine));
  });

  it("follows a change of the spec into the election's objects, and observedGeneration with it", async () => {
    const changed = withOverrides(election, { rateLimit: 250 });
    await applyElection(changed);
    const seen = await awaitElection(
      NAME,
      (e) => (e.metadata?.generation ?? 0) > 1 && e.status?.observedGeneration === e.metadata?.generation,
      "the new generation observed",
    );
    expect(seen.status?.conditions?.every((c) => c.observedGeneration === seen.metadata?.generation)).toBe(
      true,
    );
    expect(configMapDocument((await configMap()).data).spec.voting?.rateLimit).toBe(250);
  });

  it("puts back an object deleted or changed behind its back", async () => {
    const rest = admin().rest;
    const ref = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `${NAME}-election`, namespace: NAMESPACE },
    };
    await rest.delete(ref);
    await pollUntil(async () => ((await configMap().catch(() => undefined)) ? true : undefined), {
      timeoutMs: 30_000,
      what: "the ConfigMap to be made again",
    });
    await rest.request("PATCH", await rest.path(ref), {
      body: { data: { [services.electionKey]: "tampered: true\n" } },
      contentType: "application/merge-patch+json",
    });
    await pollUntil(
      async () => (configMapDocument((await configMap()).data).metadata?.name === NAME ? true : undefined),
      { timeoutMs: 30_000, what: "the ConfigMap to be put back" },
    );
  });

  it("leaves a quiet Election alone: no apply through several resyncs", async () => {
    await sleep(3_000);
    const applied = await ctl.sample("livetally_controller_reconciles_total", 'outcome="applied"');
    const unchanged = await ctl.sample("livetally_controller_reconciles_total", 'outcome="unchanged"');
    const versions = (await ownedObjects()).map((o) => `${key(o)}@${o.metadata?.resourceVersion}`).sort();
    const election = (await getElection(NAME))?.metadata?.resourceVersion;
    // Three resyncs (every 2 s) and the status refreshes in between.
    await sleep(7_000);
    // Nor a status written again: the same status, however the API server orders its fields.
    expect((await getElection(NAME))?.metadata?.resourceVersion).toBe(election);
    expect(await ctl.sample("livetally_controller_reconciles_total", 'outcome="applied"')).toBe(applied);
    expect(await ctl.sample("livetally_controller_reconciles_total", 'outcome="unchanged"')).toBeGreaterThan(
      unchanged + 2,
    );
    expect((await ownedObjects()).map((o) => `${key(o)}@${o.metadata?.resourceVersion}`).sort()).toEqual(
      versions,
    );
  });

  it("serves every metric of its own that the operations dashboard's controller row queries", async () => {
    const text = (await ctl.metrics()) ?? "";
    const served = new Set(
      text
        .split("\n")
        .filter((l) => l && !l.startsWith("#"))
        .map((l) => /^\w+/.exec(l)?.[0]),
    );
    const queried = new Set(
      promTargetsOf(operationsDashboard() as unknown as DashboardJson)
        .flatMap(({ target }) => metricNames(target.expr ?? ""))
        .filter((n) => n.startsWith("livetally_controller_")),
    );
    expect(queried.size).toBeGreaterThan(5);
    for (const name of queried) expect(served, name).toContain(name);
  });

  it("keeps watching through a restart of the API server (its watches fail, are started again and relist)", async () => {
    const ctx = stackContext({ ...process.env, LIVETALLY_KUBERNETES: "1" });
    const apiServer = stackEngines(ctx).find((e) => e.name === "kube-apiserver");
    if (apiServer === undefined) throw new Error("no kube-apiserver engine");
    const restartsBefore = await ctl.sample("livetally_controller_watch_restarts_total");
    await stopByPidFile(apiServer.launchSpec().pidFile, apiServer.stopSignal, 30_000);
    await sleep(3_000);
    await stackUp(ctx);
    await applyElection(withOverrides(election, { rateLimit: 300 }));
    await pollUntil(
      async () =>
        configMapDocument((await configMap()).data).spec.voting?.rateLimit === 300 ? true : undefined,
      { timeoutMs: 90_000, what: "the change after the restart to reach the ConfigMap" },
    );
    expect(await ctl.sample("livetally_controller_watch_restarts_total")).toBeGreaterThan(restartsBefore);
    await awaitElection(
      NAME,
      (e) => e.status?.observedGeneration === e.metadata?.generation,
      "observed again",
    );
  });
});
