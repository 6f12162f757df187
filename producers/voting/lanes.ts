/**
 * Work queued per partition: the chunks of one partition run one after another (so their offsets are
 * committed in order), different partitions run side by side, and a budget of queued messages holds
 * back fetching when processing falls behind, so memory stays bounded. Consuming thus runs ahead of
 * storing and producing instead of waiting for a whole fetch to be processed.
 */
export class PartitionLanes {
  private readonly tails = new Map<string, Promise<void>>();
  private queued = 0;
  private wake: (() => void)[] = [];

  constructor(private readonly budget: number) {}

  get size(): number {
    return this.queued;
  }

  /**
   * Waits until `count` more messages fit in the budget, calling keepAlive now and then (the consumer's
   * heartbeat) and giving up early when abort() says so. An empty queue always takes one more chunk.
   */
  async room(count: number, keepAlive: () => Promise<void>, abort: () => boolean): Promise<void> {
    while (this.queued > 0 && this.queued + count > this.budget && !abort()) {
      await new Promise<void>((resolve) => {
        this.wake.push(resolve);
        setTimeout(resolve, 1_000);
      });
      await keepAlive();
    }
  }

  /**
   * Queues work behind the lane's earlier work. If work fails, the lane's later work never runs: a
   * chunk must not commit offsets past one that failed.
   */
  push(lane: string, count: number, work: () => Promise<void>): void {
    this.queued += count;
    const tail = (this.tails.get(lane) ?? Promise.resolve()).then(work).finally(() => {
      this.queued -= count;
      const waiting = this.wake;
      this.wake = [];
      for (const resolve of waiting) resolve();
    });
    // The failure is reported by the work itself; here it only stops the lane.
    tail.catch(() => undefined);
    this.tails.set(lane, tail);
  }

  /** Resolves once everything queued so far has finished or failed. */
  async drained(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
  }
}
