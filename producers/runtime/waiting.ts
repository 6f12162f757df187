/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class TimeoutError extends Error {
  override readonly name = "TimeoutError";
}

export interface PollOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** What is awaited, for the error: "the tally job to run". */
  readonly what: string;
}

/**
 * Asks `check` until it answers something other than undefined, and returns that answer; throws a
 * TimeoutError naming `what` when the time is up. A check that throws ends the wait with its error.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const answer = await check();
    if (answer !== undefined) return answer;
    if (Date.now() >= deadline) {
      throw new TimeoutError(
        `gave up waiting for ${options.what} after ${Math.round(options.timeoutMs / 1000)} s`,
      );
    }
    await sleep(options.intervalMs ?? 250);
  }
}
