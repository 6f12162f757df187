import { sleep } from "../../producers/runtime/waiting.js";
import type { RunningService } from "./services.js";

/**
 * How a supervised service is restarted: `always` as a Deployment keeps its pods (until stopped),
 * `on-failure` as a Job retries a failed pod until one succeeds or the backoff limit is reached.
 */
export type RestartPolicy = "always" | "on-failure";

export interface SupervisedOptions {
  readonly name: string;
  readonly start: () => RunningService;
  readonly policy: RestartPolicy;
  readonly say: (line: string) => void;
  /** Failures after which an `on-failure` service gives up, as a Job's backoffLimit (6). */
  readonly backoffLimit?: number;
}

/** Backoff before the n-th restart: 1, 2, 4 ... s, at most 30 s, as Kubernetes paces a crash loop. */
export function restartDelayMs(restart: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, restart - 1));
}

/** A run that lasted this long was healthy: the next failure starts the backoff over. */
const HEALTHY_RUN_MS = 60_000;

/**
 * A service run as Kubernetes would run its pod: started, watched, and started again with a growing
 * backoff when it dies, with a line saying so, until it is stopped (or, for a Job, succeeds).
 */
export class Supervised {
  private service: RunningService;
  private stopped = false;
  private restartsInRow = 0;
  private total = 0;
  /** Resolves when an `on-failure` service exits 0; rejects when it gives up. Never for `always`. */
  readonly completed: Promise<void>;

  constructor(private readonly options: SupervisedOptions) {
    this.service = options.start();
    this.completed = this.watch();
    // Awaited by whoever needs the outcome; until then a failure is not unhandled.
    this.completed.catch(() => undefined);
  }

  /** The process running now. */
  get current(): RunningService {
    return this.service;
  }

  /** Times the service was started again. */
  get restarts(): number {
    return this.total;
  }

  private async watch(): Promise<void> {
    const { name, policy, say } = this.options;
    const limit = this.options.backoffLimit ?? 6;
    for (;;) {
      const startedAt = Date.now();
      const code = await this.service.exited;
      if (this.stopped) return;
      if (code === 0 && policy === "on-failure") return;
      if (Date.now() - startedAt >= HEALTHY_RUN_MS) this.restartsInRow = 0;
      this.restartsInRow++;
      if (policy === "on-failure" && this.restartsInRow > limit) {
        throw new Error(`${name} failed ${this.restartsInRow} times in a row; see ${this.service.logFile}`);
      }
      const delay = restartDelayMs(this.restartsInRow);
      say(`${name} exited with ${code}; starting it again in ${delay / 1000} s (restart ${this.total + 1})`);
      await sleep(delay);
      if (this.stopped) return;
      this.total++;
      this.service = this.options.start();
    }
  }

  /** Stops the service with SIGTERM, as Kubernetes does, and waits for it to finish its work. */
  async stop(): Promise<void> {
    this.stopped = true;
    const { process: child, exited } = this.service;
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  }
}
