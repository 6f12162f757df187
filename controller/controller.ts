import type { KubernetesListObject, KubernetesObject } from "@kubernetes/client-node";
import { grafana } from "../cdk8s/names.js";
import type { Logger } from "../producers/runtime/log.js";
import { electionResource } from "../schemas/election/resource.js";
import { kindPath, ownedKinds, ownedSelector, type OwnedKind } from "./desired.js";
import { electionKey, electionsPath, keyOf, type ElectionResource } from "./election-resource.js";
import { Watched } from "./informer.js";
import { apiMessage, type Kube } from "./kube.js";
import { zeroSeries, type ControllerMetrics } from "./metrics.js";
import { GRAFANA_USER_KEY, Reconciler, type ReconcilerDeps } from "./reconciler.js";
import { WorkQueue } from "./work-queue.js";

export interface ControllerOptions {
  readonly kube: Kube;
  readonly namespace: string;
  readonly resyncMs: number;
  readonly workers: number;
  readonly metrics: ControllerMetrics;
  readonly log: Logger;
  /** Everything the reconciler needs besides the caches this makes. */
  readonly reconciler: Omit<ReconcilerDeps, "elections" | "owned" | "kube" | "metrics" | "log" | "namespace">;
}

/**
 * Watches the namespace's Elections and what they own, and keeps a work queue of the Elections to
 * reconcile: every change to an Election, to an object it owns (found by its owner reference) and
 * every resync queues its key; workers take keys one at a time each, and a failed reconcile is
 * queued again with a backoff.
 */
export class ElectionController {
  private readonly queue: WorkQueue;
  private readonly elections: Watched<ElectionResource>;
  private readonly owned = new Map<OwnedKind["kind"], Watched<KubernetesObject>>();
  private readonly reconciler: Reconciler;
  private workers: Promise<void>[] = [];

  constructor(private readonly o: ControllerOptions) {
    const { kube, namespace, log, metrics } = o;
    this.queue = new WorkQueue((depth) => metrics.queueDepth.set(depth));
    const common = {
      resyncMs: o.resyncMs,
      log,
      onRestart: (resource: string) => metrics.watchRestarts.inc({ resource }),
    };
    const r = electionResource;
    this.elections = new Watched<ElectionResource>(kube.config, {
      ...common,
      resource: r.plural,
      path: electionsPath(namespace),
      list: () =>
        kube.custom.listNamespacedCustomObject({
          group: r.group,
          version: r.version,
          namespace,
          plural: r.plural,
        }) as Promise<KubernetesListObject<ElectionResource>>,
      onChange: (e) => {
        this.queue.add(keyOf(e));
        this.queue.add(GRAFANA_USER_KEY);
      },
    });
    for (const kind of ownedKinds) {
      this.owned.set(
        kind.kind,
        new Watched<KubernetesObject>(kube.config, {
          ...common,
          resource: kind.kind,
          path: kindPath(kind, namespace),
          labelSelector: ownedSelector(),
          list: () => kube.rest.list(kind.apiVersion, kind.kind, namespace, ownedSelector()),
          onChange: (object) => this.ownerChanged(kind.kind, object),
        }),
      );
    }
    zeroSeries(metrics, [r.plural, ...ownedKinds.map((k) => k.kind)]);
    this.reconciler = new Reconciler({
      ...o.reconciler,
      kube,
      metrics,
      log,
      namespace,
      elections: this.elections,
      owned: this.owned,
    });
  }

  /** An owned object changed: its Election is reconciled (Grafana's Kafka user: its ACLs). */
  private ownerChanged(kind: OwnedKind["kind"], object: KubernetesObject): void {
    if (kind === "KafkaUser" && object.metadata?.name === grafana.kafkaUser) {
      this.queue.add(GRAFANA_USER_KEY);
      return;
    }
    const owner = object.metadata?.ownerReferences?.find(
      (ref) => ref.controller === true && ref.kind === electionResource.kind,
    );
    if (owner && object.metadata?.namespace)
      this.queue.add(electionKey(object.metadata.namespace, owner.name));
  }

  /** Whether every cache has been filled: until then a reconcile could take a missing object for a deleted one. */
  get synced(): boolean {
    return this.elections.hasSynced && [...this.owned.values()].every((w) => w.hasSynced);
  }

  /** Fills the caches, then starts the workers. */
  async start(): Promise<void> {
    // The owned objects first: an Election reconciled before its Jobs are cached would look unapplied.
    await Promise.all([...this.owned.values()].map((w) => w.start()));
    await this.elections.start();
    this.o.log.info("watching", { namespace: this.o.namespace, elections: this.elections.list().length });
    this.queue.add(GRAFANA_USER_KEY);
    this.workers = Array.from({ length: this.o.workers }, () => this.work());
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      const end = this.o.metrics.reconcileDuration.startTimer();
      try {
        const result = await this.reconciler.reconcile(key);
        this.queue.forget(key);
        if (result.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
      } catch (e) {
        this.o.metrics.reconcileErrors.inc();
        const retryInMs = this.queue.retry(key);
        this.o.log.warn("reconcile failed", { election: key, error: apiMessage(e), retryInMs });
      } finally {
        end();
        this.queue.done(key);
        this.reconciler.countPhases();
      }
    }
  }

  /** Takes no more work, lets every reconcile under way finish, and stops watching. */
  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all(this.workers);
    await Promise.all([this.elections, ...this.owned.values()].map((w) => w.stop()));
  }
}
