import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadElection, withOverrides } from "../../local/election/document.js";
import { pollUntil } from "../../producers/runtime/waiting.js";
import { repoRoot } from "../../versions.js";
import {
  admin,
  applyElection,
  awaitElection,
  ControllerProcess,
  deleteElection,
  leaseHolder,
  NAMESPACE,
  sleep,
} from "./support/kubernetes.js";

/**
 * Two controller replicas on the local API server, as the production profile runs them: one holds
 * the Lease and reconciles, the other stands by; kill the leader with SIGKILL and the standby takes
 * over within the lease's duration; stop one with SIGTERM and it hands the Lease over at once.
 */
const NAME = "ctl-lead";
const election = withOverrides(loadElection(join(repoRoot, "elections", "city-council.yaml")), {
  name: NAME,
});
/** LEASE_DURATION_SECONDS and LEASE_RETRY_PERIOD_SECONDS of support/kubernetes.ts. */
const LEASE_MS = 6_000;
const RETRY_MS = 1_000;

const replicas: ControllerProcess[] = [];
const byName = (identity: string | undefined) => replicas.find((r) => r.options.identity === identity);

async function rateLimitInConfigMap(): Promise<number | undefined> {
  const cm = await admin().rest.get<{ data?: Record<string, string> } & { metadata?: object }>({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `${NAME}-election`, namespace: NAMESPACE },
  });
  return Number(/rateLimit: (\d+)/.exec(cm.data?.["election.yaml"] ?? "")?.[1]);
}

beforeAll(async () => {
  replicas.push(await ControllerProcess.start({ identity: "lead-a", httpPort: 29564 }));
  replicas.push(await ControllerProcess.start({ identity: "lead-b", httpPort: 29565 }));
  await pollUntil(async () => (byName(await leaseHolder()) ? true : undefined), {
    timeoutMs: 30_000,
    what: "one of the two replicas to lead",
  });
  await deleteElection(NAME);
});

afterAll(async () => {
  await deleteElection(NAME).catch(() => undefined);
  for (const r of replicas) await r.stop();
});

describe("controller replicas and the Lease", () => {
  let leader: ControllerProcess;
  let standby: ControllerProcess;

  it("let exactly one reconcile", async () => {
    leader = byName(await leaseHolder()) as ControllerProcess;
    standby = replicas.find((r) => r !== leader) as ControllerProcess;
    expect([await leader.isLeader(), await standby.isLeader()]).toEqual([true, false]);
    await applyElection(election);
    await awaitElection(NAME, (e) => e.status?.observedGeneration === e.metadata?.generation, "observed");
    await sleep(3_000);
    expect(await leader.sample("livetally_controller_reconciles_total")).toBeGreaterThan(0);
    expect(await standby.sample("livetally_controller_reconciles_total")).toBe(0);
    expect(await standby.sample("livetally_controller_reconcile_errors_total")).toBe(0);
  });

  it("hand over to the standby within the lease's duration when the leader is killed", async () => {
    await leader.kill();
    const killedAt = Date.now();
    await pollUntil(async () => ((await standby.isLeader()) ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: "the standby to lead",
    });
    const tookMs = Date.now() - killedAt;
    console.log(`the standby led ${tookMs} ms after the leader's SIGKILL (lease ${LEASE_MS} ms)`);
    // The killed leader renewed at most one retry period before it died.
    expect(tookMs).toBeLessThanOrEqual(LEASE_MS + 2 * RETRY_MS);
    expect(await leaseHolder()).toBe(standby.options.identity);
    await applyElection(withOverrides(election, { rateLimit: 77 }));
    await pollUntil(async () => ((await rateLimitInConfigMap()) === 77 ? true : undefined), {
      timeoutMs: 30_000,
      what: "the new leader to apply the change",
    });
  });

  it("hand over at once when the leader is stopped: it releases the Lease", async () => {
    const third = await ControllerProcess.start({ identity: "lead-c", httpPort: 29566 });
    replicas.push(third);
    expect(await third.isLeader()).toBe(false);
    const stoppedAt = Date.now();
    expect(await standby.stop()).toBe(0);
    await pollUntil(async () => ((await third.isLeader()) ? true : undefined), {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: "the third replica to lead",
    });
    const tookMs = Date.now() - stoppedAt;
    console.log(`the third replica led ${tookMs} ms after the leader's SIGTERM`);
    expect(tookMs).toBeLessThan(LEASE_MS);
  });
});
