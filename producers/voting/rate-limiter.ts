import * as waiting from "../runtime/waiting.js";

/**
 * Paces work to a rate (units per second) across every caller: each acquisition books the next slot
 * of time its units need, and waits until its slot begins. A rate of 0 means no limit.
 */
export class RateLimiter {
  private nextFree = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = waiting.sleep,
  ) {}

  get limited(): boolean {
    return this.perSecond > 0;
  }

  async acquire(units: number): Promise<void> {
    if (this.perSecond <= 0 || units <= 0) return;
    const now = this.now();
    const start = Math.max(now, this.nextFree);
    this.nextFree = start + (units * 1000) / this.perSecond;
    if (start > now) await this.sleep(start - now);
  }
}
