import type { KubernetesObject, V1Job } from "@kubernetes/client-node";
import { grafanaKafkaUser, type K8sObject } from "../cdk8s/app.js";
import { controller, electionObjectNames, grafana, labels } from "../cdk8s/names.js";
import type { Logger } from "../producers/runtime/log.js";
import { electionNames } from "../schemas/election/names.js";
import { electionResource } from "../schemas/election/resource.js";
import type { Election } from "../schemas/generated/election.js";
import type { ElectionStatus } from "../schemas/generated/election-status.js";
import { desiredObjects, objectKey, versionOf, type OwnedKind } from "./desired.js";
import { electionDocument, keyOf, type ElectionResource } from "./election-resource.js";
import type { EventRecorder } from "./events.js";
import type { Watched } from "./informer.js";
import { apiMessage, apiStatus, isConflict, isNotFound, type Kube } from "./kube.js";
import { PHASES, type ControllerMetrics, type ReconcileOutcome } from "./metrics.js";
import type { ElectionObserver } from "./observe.js";
import { certificationDue, isSettled, nextStatus, type JobState, type Stage } from "./phase.js";
import type { Platform } from "./platform.js";
import type { ElectionRemoval } from "./removal.js";

export interface ReconcilerDeps {
  readonly kube: Kube;
  readonly platform: Platform;
  readonly observer: ElectionObserver;
  readonly removal: ElectionRemoval;
  readonly events: EventRecorder;
  readonly metrics: ControllerMetrics;
  readonly log: Logger;
  readonly elections: Watched<ElectionResource>;
  /** The caches of what elections own, by kind. */
  readonly owned: ReadonlyMap<OwnedKind["kind"], Watched<KubernetesObject>>;
  readonly observeIntervalMs: number;
  readonly certificationPatienceMs: number;
  /** The namespace the controller runs the Elections of. */
  readonly namespace: string;
}

export interface ReconcileResult {
  /** Reconcile this Election again after this long, even if nothing is seen to change. */
  readonly requeueAfterMs?: number;
}

/**
 * The work queue's key of Grafana's Kafka user, whose ACLs follow the namespace's Elections: no
 * Election's key can look like it (a key is namespace/name).
 */
export const GRAFANA_USER_KEY = "grafana-kafka-user";

/**
 * A value as JSON with every object's keys sorted: the status read back is compared by content, not
 * by spelling, since nothing promises that the API server keeps the order of its fields.
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** How long to wait between steps of removing a deleted Election's data. */
const REMOVAL_POLL_MS = 2000;
const STATUS_ATTEMPTS = 5;

/**
 * One reconcile of one Election, level-based: from the Election and what it owns as the caches hold
 * them, and from its data, it applies what is missing or changed and writes the status that follows.
 * Running it again with nothing changed changes nothing.
 */
export class Reconciler {
  /** What each Election's objects were when this process last applied them: generation or resourceVersion. */
  private readonly applied = new Map<string, Map<string, string>>();
  /** Each Election's objects as last built, for its uid and generation. */
  private readonly built = new Map<string, { readonly key: string; readonly objects: K8sObject[] }>();
  /** The Elections Grafana's Kafka user was last applied for, and its version as applied. */
  private grafanaUser: { readonly names: string; readonly version: string } | undefined;
  /** The last removal step said of each Election being deleted, so an event is recorded once per step. */
  private readonly removing = new Map<string, string>();

  constructor(private readonly d: ReconcilerDeps) {}

  async reconcile(key: string): Promise<ReconcileResult> {
    if (key === GRAFANA_USER_KEY) return this.reconcileGrafanaUser();
    const [namespace = "", name = ""] = key.split("/");
    const resource = this.d.elections.get(name, namespace);
    if (resource === undefined) {
      this.applied.delete(key);
      this.built.delete(key);
      this.removing.delete(key);
      return {};
    }
    if (resource.metadata.deletionTimestamp !== undefined) return this.finalize(resource);
    await this.ensureFinalizer(resource);

    const generation = resource.metadata.generation ?? 0;
    const document = electionDocument(resource);
    if (!document.ok) {
      await this.settle(resource, { kind: "invalid", problems: document.problems }, 0);
      this.d.metrics.reconciles.inc({ outcome: "unchanged" });
      return {};
    }
    const desired = this.desired(resource, document.election);
    let outcome: ReconcileOutcome = "unchanged";
    if (this.needsApply(resource, desired)) {
      try {
        await this.apply(key, desired);
        outcome = "applied";
      } catch (e) {
        await this.settle(
          resource,
          { kind: "apply-failed", message: apiMessage(e) },
          document.election.spec.electorate.voters,
        );
        throw e;
      }
    }
    this.d.metrics.reconciles.inc({ outcome });
    if (isSettled(resource.status) && resource.status?.observedGeneration === generation) return {};

    const stage = await this.observe(resource, desired.length, document.election.spec.electorate.seed);
    const status = await this.settle(resource, stage, document.election.spec.electorate.voters);
    return isSettled(status) ? {} : { requeueAfterMs: this.d.observeIntervalMs };
  }

  /** The Election's objects, built once per generation of it (a synthesis costs milliseconds). */
  private desired(resource: ElectionResource, election: Election): K8sObject[] {
    const key = `${resource.metadata.uid}@${resource.metadata.generation}`;
    const cached = this.built.get(keyOf(resource));
    if (cached?.key === key) return cached.objects;
    const objects = desiredObjects(this.d.platform, resource, election);
    this.built.set(keyOf(resource), { key, objects });
    return objects;
  }

  /** Whether anything of the Election's objects differs from what this process last applied. */
  private needsApply(resource: ElectionResource, desired: readonly K8sObject[]): boolean {
    if (resource.status?.observedGeneration !== resource.metadata.generation) return true;
    const recorded = this.applied.get(keyOf(resource));
    if (recorded === undefined) return true;
    return desired.some((o) => {
      const cached = this.d.owned
        .get(o.kind as OwnedKind["kind"])
        ?.get(o.metadata.name, o.metadata.namespace);
      return cached === undefined || versionOf(cached) !== recorded.get(objectKey(o));
    });
  }

  /** Server-side apply of every object under the controller's field manager, taking over any field. */
  private async apply(key: string, desired: readonly K8sObject[]): Promise<void> {
    const versions = new Map<string, string>();
    for (const o of desired) {
      let result: KubernetesObject;
      try {
        result = await this.d.kube.rest.apply(o, controller.name);
      } catch (e) {
        // A Job's pod template cannot change: the Job is replaced (registration resumes where it was).
        if (o.kind === "Job" && apiStatus(e) === 422) {
          this.d.log.warn("replacing the registration Job, whose template changed", { job: o.metadata.name });
          await this.d.kube.rest.delete(o, "Foreground");
        }
        throw e;
      }
      versions.set(objectKey(o), versionOf(result));
    }
    this.applied.set(key, versions);
    this.d.log.info("applied", { election: key, objects: desired.length });
  }

  /** The registration Job's outcome, from the Jobs cache. */
  private jobState(resource: ElectionResource): JobState {
    const job = this.d.owned
      .get("Job")
      ?.get(electionObjectNames(resource.metadata.name).registration, resource.metadata.namespace) as
      V1Job | undefined;
    const condition = (type: string) =>
      job?.status?.conditions?.find((c) => c.type === type && c.status === "True");
    const failed = condition("Failed");
    return {
      complete: condition("Complete") !== undefined,
      failed: failed
        ? `the registration Job failed: ${failed.reason ?? ""} ${failed.message ?? ""}`.trim()
        : undefined,
    };
  }

  private async observe(resource: ElectionResource, objects: number, seed: number): Promise<Stage> {
    const names = electionNames(resource.metadata.name);
    const observation = await this.d.observer.observe(names, seed, false);
    if (observation === undefined) return { kind: "setting-up", objects };
    const job = this.jobState(resource);
    const registered = job.complete || observation.published >= resource.spec.electorate.voters;
    if (!registered || observation.votersPending !== 0) {
      return { kind: "observed", objects, data: observation, job, certification: undefined };
    }
    // Voting is over: the ledger is read, and certified against once the tallies have settled.
    const data = (await this.d.observer.observe(names, seed, true)) ?? observation;
    const now = new Date();
    const due = certificationDue(resource.status, data, now, this.d.certificationPatienceMs);
    if (!due.due) return { kind: "observed", objects, data, job, certification: undefined };
    const certification = await this.d.observer.certify(names);
    return {
      kind: "observed",
      objects,
      data,
      job,
      certification: {
        certification,
        final: certification.match || due.final,
        at: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
      },
    };
  }

  /** Writes the status that follows from the stage, if it differs, with the events it is worth. */
  private async settle(
    resource: ElectionResource,
    stage: Stage,
    electorate: number,
  ): Promise<ElectionStatus> {
    const generation = resource.metadata.generation ?? 0;
    const settled = isSettled(resource.status) ? resource.status : undefined;
    const { status, events } = settled
      ? { status: { ...settled, observedGeneration: generation }, events: [] }
      : nextStatus(resource.status, generation, electorate, stage, new Date());
    if (canonical(status) !== canonical(resource.status)) await this.writeStatus(resource, status);
    for (const event of events) await this.d.events.record(resource, event);
    if (status.phase !== resource.status?.phase) {
      this.d.log.info("phase", { election: keyOf(resource), from: resource.status?.phase, to: status.phase });
    }
    return status;
  }

  /** Replaces the status subresource at the resourceVersion read; on a conflict, reads again and retries. */
  private async writeStatus(resource: ElectionResource, status: ElectionStatus): Promise<void> {
    const r = electionResource;
    const { namespace, name } = resource.metadata;
    let current: ElectionResource = resource;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.d.kube.custom.replaceNamespacedCustomObjectStatus({
          group: r.group,
          version: r.version,
          namespace,
          plural: r.plural,
          name,
          body: { ...current, status },
        });
        return;
      } catch (e) {
        if (!isConflict(e) || attempt >= STATUS_ATTEMPTS) throw e;
        current = (await this.d.kube.custom.getNamespacedCustomObject({
          group: r.group,
          version: r.version,
          namespace,
          plural: r.plural,
          name,
        })) as ElectionResource;
      }
    }
  }

  /** The finalizer is the controller's field, applied server-side like everything else it owns. */
  private async ensureFinalizer(resource: ElectionResource): Promise<void> {
    if (resource.metadata.finalizers?.includes(controller.finalizer)) return;
    await this.applyFinalizers(resource, [controller.finalizer]);
  }

  private applyFinalizers(resource: ElectionResource, finalizers: string[]): Promise<KubernetesObject> {
    const { name, namespace } = resource.metadata;
    return this.d.kube.rest.apply(
      { apiVersion: resource.apiVersion, kind: resource.kind, metadata: { name, namespace, finalizers } },
      controller.name,
    );
  }

  /** A deleted Election: its data goes, then the finalizer, and the garbage collector takes the rest. */
  private async finalize(resource: ElectionResource): Promise<ReconcileResult> {
    const key = keyOf(resource);
    if (!resource.metadata.finalizers?.includes(controller.finalizer)) return {};
    const step = await this.d.removal.step(resource.metadata.namespace, resource.metadata.name);
    if (!step.done) {
      if (this.removing.get(key) !== step.waitingFor) {
        this.removing.set(key, step.waitingFor);
        await this.d.events.record(resource, {
          type: "Normal",
          reason: "Removing",
          action: "Remove",
          note: `removing the election's data: waiting for ${step.waitingFor}`,
        });
      }
      return { requeueAfterMs: REMOVAL_POLL_MS };
    }
    const r = step.removal;
    await this.d.events.record(resource, {
      type: "Normal",
      reason: "Removed",
      action: "Remove",
      note:
        `removed ${r.topics.length} topics, ${r.subjects.length} subjects, ${r.groups.length} consumer groups` +
        (r.databaseSchema ? " and the database schema" : ""),
    });
    try {
      await this.applyFinalizers(resource, []);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    this.applied.delete(key);
    this.removing.delete(key);
    this.d.metrics.reconciles.inc({ outcome: "removed" });
    return {};
  }

  /**
   * Grafana's Kafka user reads the aggregated topics of every Election in the namespace, and no
   * other topic (grafanaKafkaUser); it is applied again whenever that list, or the user, changes.
   */
  private async reconcileGrafanaUser(): Promise<ReconcileResult> {
    if (!this.d.platform.config.grafana.enabled) return {};
    const names = this.d.elections
      .list()
      .map((e) => e.metadata.name)
      .sort();
    const cached = this.d.owned.get("KafkaUser")?.get(grafana.kafkaUser, this.d.namespace);
    const last = this.grafanaUser;
    if (last && cached && last.names === names.join(",") && last.version === versionOf(cached)) return {};
    const desired = grafanaKafkaUser(names);
    const applied = await this.d.kube.rest.apply(
      {
        ...desired,
        metadata: {
          ...desired.metadata,
          namespace: this.d.namespace,
          labels: { ...desired.metadata.labels, [labels.managedBy]: controller.name },
        },
      },
      controller.name,
    );
    this.grafanaUser = { names: names.join(","), version: versionOf(applied) };
    this.d.log.info("applied Grafana's Kafka user", { elections: names });
    return {};
  }

  /** Elections by phase, for the metrics. */
  countPhases(): void {
    const phases = this.d.elections.list().map((e) => e.status?.phase ?? "Pending");
    for (const phase of PHASES)
      this.d.metrics.elections.set({ phase }, phases.filter((p) => p === phase).length);
  }
}
