/**
 * The controller's work queue of Election keys (namespace/name), as client-go's: a key is queued at
 * most once however often it is added; a key being worked on is never handed to a second worker, and
 * one added meanwhile is queued again when the first is done; a key may be added after a delay, and
 * after each failure with a growing one.
 */
export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  /** Added again while being worked on. */
  private readonly dirty = new Set<string>();
  private readonly delayed = new Map<string, { readonly at: number; readonly timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private readonly waiting: Array<(key: string | undefined) => void> = [];
  private closed = false;

  constructor(
    private readonly onDepth: (depth: number) => void = () => undefined,
    private readonly firstRetryMs = 500,
    private readonly maxRetryMs = 300_000,
  ) {}

  /** Keys waiting for a worker (not those delayed, nor those being worked on). */
  get depth(): number {
    return this.ready.length;
  }

  add(key: string): void {
    if (this.closed) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    const waiter = this.waiting.shift();
    if (waiter) {
      this.processing.add(key);
      waiter(key);
      return;
    }
    this.queued.add(key);
    this.ready.push(key);
    this.onDepth(this.ready.length);
  }

  /** Adds the key once `ms` have passed; an earlier pending add of the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.closed) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer });
  }

  /** Adds the key after a delay that doubles with each failure since it last succeeded. */
  retry(key: string): number {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    const ms = Math.min(this.firstRetryMs * 2 ** (n - 1), this.maxRetryMs);
    this.addAfter(key, ms);
    return ms;
  }

  /** The key succeeded: its next failure starts the backoff afresh. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** The next key to work on; undefined once the queue is shut down. */
  get(): Promise<string | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const key = this.ready.shift();
    if (key !== undefined) {
      this.queued.delete(key);
      this.processing.add(key);
      this.onDepth(this.ready.length);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** The worker is done with the key; if it was added meanwhile, it is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.delete(key)) this.add(key);
  }

  /** Hands no more keys out: waiting workers get undefined, delayed adds are dropped. */
  shutDown(): void {
    this.closed = true;
    for (const { timer } of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    for (const waiter of this.waiting.splice(0)) waiter(undefined);
  }
}
