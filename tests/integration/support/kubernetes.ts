import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { CustomObjectsApi, KubeConfig, Watch, type KubernetesObject } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { controller as names } from "../../../cdk8s/names.js";
import { KubeRest } from "../../../controller/kube-rest.js";
import { localControllerEnv, startController } from "../../../local/controller/controller.js";
import type { RunningService } from "../../../local/election/services.js";
import { controlPlanePaths } from "../../../local/kubernetes/control-plane.js";
import { stackContext } from "../../../local/stack.js";
import { pollUntil, sleep } from "../../../producers/runtime/waiting.js";
import { electionResource } from "../../../schemas/election/resource.js";
import type { Election } from "../../../schemas/generated/election.js";
import type { ElectionStatus } from "../../../schemas/generated/election-status.js";
import { repoRoot } from "../../../versions.js";

/** The namespace the local stack gives the controller a Role in (local/kubernetes/bootstrap.ts). */
export const NAMESPACE = "livetally";

const ctx = stackContext({ ...process.env, LIVETALLY_KUBERNETES: "1" });
export const paths = controlPlanePaths(ctx);

/** The local API server as its admin (system:masters). */
export function admin(): { rest: KubeRest; custom: CustomObjectsApi } {
  const config = new KubeConfig();
  config.loadFromFile(paths.adminKubeconfig);
  return { rest: new KubeRest(config), custom: config.makeApiClient(CustomObjectsApi) };
}

/** The pinned kubectl (make kubectl) as the admin; rejects with kubectl's own stderr. */
export async function kubectl(args: readonly string[], stdin?: string): Promise<string> {
  const run = promisify(execFile);
  const child = run(join(repoRoot, "bin", "kubectl"), ["--kubeconfig", paths.adminKubeconfig, ...args], {
    encoding: "utf8",
  });
  if (stdin !== undefined) {
    child.child.stdin?.end(stdin);
  }
  try {
    return (await child).stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(err.stderr?.trim() || err.message);
  }
}

/** Applies an Election document with kubectl, as an operations person does. */
export function applyElection(election: Election): Promise<string> {
  return kubectl(["apply", "--namespace", NAMESPACE, "-f", "-"], stringify(election));
}

export interface ElectionObject extends KubernetesObject {
  readonly spec: Election["spec"];
  readonly status?: ElectionStatus;
}

export async function getElection(name: string): Promise<ElectionObject | undefined> {
  const r = electionResource;
  try {
    return (await admin().custom.getNamespacedCustomObject({
      group: r.group,
      version: r.version,
      namespace: NAMESPACE,
      plural: r.plural,
      name,
    })) as ElectionObject;
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined;
    throw e;
  }
}

/** Waits until the Election's status satisfies the check; returns that Election. */
export function awaitElection(
  name: string,
  check: (e: ElectionObject) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<ElectionObject> {
  return pollUntil(
    async () => {
      const e = await getElection(name);
      return e && check(e) ? e : undefined;
    },
    { timeoutMs, intervalMs: 250, what: `${name}: ${what}` },
  );
}

/**
 * Every version of the Election the API server stores from now on, as a watch delivers them, so no
 * status is missed however briefly it held; stops when the returned function is called.
 */
export function watchElection(name: string, onChange: (e: ElectionObject) => void): () => void {
  const config = new KubeConfig();
  config.loadFromFile(paths.adminKubeconfig);
  const r = electionResource;
  const path = `/apis/${r.group}/${r.version}/namespaces/${NAMESPACE}/${r.plural}`;
  let stopped = false;
  let request: AbortController | undefined;
  let resourceVersion: string | undefined;
  const start = async (): Promise<void> => {
    if (stopped) return;
    request = await new Watch(config).watch(
      path,
      { fieldSelector: `metadata.name=${name}`, ...(resourceVersion ? { resourceVersion } : {}) },
      (_phase, object: ElectionObject) => {
        resourceVersion = object.metadata?.resourceVersion;
        onChange(object);
      },
      // A watch the server ends is taken up again where it stopped.
      () => void start().catch(() => undefined),
    );
  };
  void start();
  return () => {
    stopped = true;
    request?.abort();
  };
}

/** Deletes the Election if it is there and waits until it is gone (its finalizer done). */
export async function deleteElection(name: string, timeoutMs = 60_000): Promise<void> {
  await kubectl(["delete", "election", name, "--namespace", NAMESPACE, "--ignore-not-found", "--wait=false"]);
  await pollUntil(async () => ((await getElection(name)) === undefined ? true : undefined), {
    timeoutMs,
    intervalMs: 250,
    what: `the Election ${name} to be deleted`,
  });
}

/** The objects of one kind that an Election owns, by its label. */
export async function owned(apiVersion: string, kind: string, election: string): Promise<KubernetesObject[]> {
  const list = await admin().rest.list(apiVersion, kind, NAMESPACE, `app.kubernetes.io/instance=${election}`);
  return list.items;
}

export interface ControllerOptions {
  /** Its pod name, which it holds the Lease as. */
  readonly identity: string;
  readonly httpPort: number;
  /** Settings over the controller's defaults: short leases, fast resyncs for tests. */
  readonly env?: NodeJS.ProcessEnv;
}

/** A controller replica as its own process, with the restricted kubeconfig of its ServiceAccount. */
export class ControllerProcess {
  private constructor(
    readonly options: ControllerOptions,
    readonly running: RunningService,
  ) {}

  static async start(options: ControllerOptions): Promise<ControllerProcess> {
    const env = {
      ...(await localControllerEnv(ctx)),
      HTTP_PORT: String(options.httpPort),
      LEASE_DURATION_SECONDS: "6",
      LEASE_RENEW_DEADLINE_SECONDS: "4",
      LEASE_RETRY_PERIOD_SECONDS: "1",
      OBSERVE_INTERVAL_SECONDS: "1",
      ...options.env,
    };
    const process = new ControllerProcess(options, startController(options.identity, env));
    await pollUntil(async () => ((await process.metrics()) ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 250,
      what: `controller ${options.identity} to serve /metrics`,
    });
    return process;
  }

  /** The Prometheus text, or undefined while it does not answer. */
  async metrics(): Promise<string | undefined> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.options.httpPort}/metrics`);
      return res.ok ? await res.text() : undefined;
    } catch {
      return undefined;
    }
  }

  /** One sample's value, summed over its labels matching `labels` ("" for all). */
  async sample(name: string, labels = ""): Promise<number> {
    const text = (await this.metrics()) ?? "";
    return text
      .split("\n")
      .filter(
        (l) =>
          l.startsWith(name) && (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && l.includes(labels),
      )
      .reduce((sum, l) => sum + Number(l.split(" ").at(-1)), 0);
  }

  async isLeader(): Promise<boolean> {
    return (await this.sample("livetally_controller_leader")) === 1;
  }

  /** Ends it at once, as a node lost or a kubelet's SIGKILL would. */
  async kill(): Promise<void> {
    this.running.process.kill("SIGKILL");
    await this.running.exited;
  }

  /** Asks it to stop (SIGTERM), as Kubernetes does, and returns its exit code. */
  async stop(): Promise<number> {
    if (this.running.process.exitCode !== null || this.running.process.signalCode !== null) {
      return this.running.exited;
    }
    this.running.process.kill("SIGTERM");
    return this.running.exited;
  }
}

/** Who holds the controller's Lease now. */
export async function leaseHolder(): Promise<string | undefined> {
  const lease = await admin()
    .rest.get<KubernetesObject & { spec?: { holderIdentity?: string } }>({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: names.name, namespace: NAMESPACE },
    })
    .catch(() => undefined);
  return lease?.spec?.holderIdentity || undefined;
}

/** Events the controller recorded about this Election (not an earlier one of its name), oldest first: `reason: note`. */
export async function electionEvents(name: string): Promise<string[]> {
  const uid = (await getElection(name))?.metadata?.uid;
  const list = await admin().rest.list<
    KubernetesObject & {
      reason?: string;
      note?: string;
      regarding?: { name?: string; kind?: string; uid?: string };
    }
  >("events.k8s.io/v1", "Event", NAMESPACE);
  return list.items
    .filter(
      (e) =>
        e.regarding?.kind === electionResource.kind && e.regarding.name === name && e.regarding.uid === uid,
    )
    .sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)))
    .map((e) => `${e.reason}: ${e.note}`);
}

export { sleep };
