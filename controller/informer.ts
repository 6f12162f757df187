import {
  ADD,
  DELETE,
  ERROR,
  UPDATE,
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
} from "@kubernetes/client-node";
import type { Logger } from "../producers/runtime/log.js";

export interface WatchedOptions<T extends KubernetesObject> {
  /** What is watched, for logs and metrics: `elections`, `Job`... */
  readonly resource: string;
  readonly path: string;
  readonly list: () => Promise<KubernetesListObject<T>>;
  readonly labelSelector?: string;
  /** Called for every object added, changed or deleted, and for each cached object at every resync. */
  readonly onChange: (object: T) => void;
  readonly resyncMs: number;
  readonly log: Logger;
  /** Counts each restart of the watch after an error. */
  readonly onRestart: (resource: string) => void;
}

const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15_000;

/**
 * A cache of one kind of object kept current by a list and a watch that survive: the client's
 * informer relists by itself when the API server answers 410 Gone (its resourceVersion too old) and
 * reconnects when a watch simply ends; on any other error it stops, and this starts it again with
 * a growing backoff. A timer replays the whole cache to the handler, so a missed event is made good.
 */
export class Watched<T extends KubernetesObject> {
  private readonly informer: Informer<T> & ObjectCache<T>;
  private backoffMs = FIRST_BACKOFF_MS;
  private restartTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private synced = false;
  /** Errors seen so far: a start that saw none filled the cache. */
  private failures = 0;

  constructor(
    config: KubeConfig,
    private readonly options: WatchedOptions<T>,
  ) {
    this.informer = makeInformer(config, options.path, options.list, options.labelSelector);
    const changed = (o: T) => {
      this.backoffMs = FIRST_BACKOFF_MS;
      options.onChange(o);
    };
    this.informer.on(ADD, changed);
    this.informer.on(UPDATE, changed);
    this.informer.on(DELETE, changed);
    this.informer.on(ERROR, (e: unknown) => this.failed(e));
  }

  /** Lists, then watches; resolves once the cache holds the first list (or the list failed and will be retried). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.startInformer();
    this.resyncTimer = setInterval(() => {
      for (const o of this.informer.list()) this.options.onChange(o);
    }, this.options.resyncMs);
  }

  /** Whether the cache has been filled since the watch last failed. */
  get hasSynced(): boolean {
    return this.synced;
  }

  list(namespace?: string): T[] {
    return [...this.informer.list(namespace)];
  }

  get(name: string, namespace?: string): T | undefined {
    return this.informer.get(name, namespace);
  }

  private async startInformer(): Promise<void> {
    const before = this.failures;
    await this.informer.start();
    if (this.failures === before) this.synced = true;
  }

  private failed(e: unknown): void {
    if (this.stopped) return;
    this.failures += 1;
    this.synced = false;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.options.log.warn("watch failed; restarting it", {
      resource: this.options.resource,
      error: e instanceof Error ? e.message : String(e),
      retryInMs: delay,
    });
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.options.onRestart(this.options.resource);
      this.startInformer().catch((err: unknown) => this.failed(err));
    }, delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.resyncTimer);
    await this.informer.stop();
  }
}
