import { sleep } from "../../producers/runtime/waiting.js";

/** Error codes of a server that is down, restarting or unreachable, rather than of a bad request. */
const OUTAGE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTCONN",
  "EHOSTUNREACH",
  // PostgreSQL: shutting down, starting up, connection failures.
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08006",
]);

const OUTAGE_MESSAGES =
  /Connection terminated|connection timeout|socket hang up|fetch failed|Client has encountered a connection error|timeout exceeded when trying to connect/i;

/**
 * Whether an error says an engine is out of reach for now (and the call is worth repeating), as
 * opposed to a mistake that repeating will not mend.
 */
export function isOutage(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    const candidate = e as {
      code?: unknown;
      status?: unknown;
      name?: unknown;
      message?: unknown;
      retriable?: unknown;
      cause?: unknown;
    };
    if (typeof candidate.code === "string" && OUTAGE_CODES.has(candidate.code)) return true;
    if (candidate.retriable === true) return true;
    // An HTTP server that is up but not yet serving (Flink's REST endpoint while its dispatcher starts).
    if (typeof candidate.status === "number" && [502, 503, 504].includes(candidate.status)) return true;
    // kafkajs marks some outage errors non-retriable: a broker that just restarted has no coordinator
    // for a group for a few seconds.
    if (
      typeof candidate.name === "string" &&
      /^KafkaJS(Connection|NumberOfRetriesExceeded|BrokerNotFound|RequestTimeout|GroupCoordinatorNotFound)/.test(
        candidate.name,
      )
    )
      return true;
    if (typeof candidate.message === "string" && OUTAGE_MESSAGES.test(candidate.message)) return true;
    e = candidate.cause;
  }
  return false;
}

/**
 * Repeats calls to an engine through its outages, saying once that it waits and once that the engine
 * is back, instead of failing at the first refused connection. Gives up after `giveUpMs` of outage.
 */
export class Patience {
  private readonly waitingSince = new Map<string, number>();

  constructor(
    private readonly say: (line: string) => void,
    private readonly giveUpMs = 600_000,
  ) {}

  async of<T>(engine: string, call: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        const result = await call();
        const since = this.waitingSince.get(engine);
        if (since !== undefined) {
          this.waitingSince.delete(engine);
          this.say(`${engine} is back after ${((Date.now() - since) / 1000).toFixed(1)} s`);
        }
        return result;
      } catch (e) {
        if (!isOutage(e)) throw e;
        const since = this.waitingSince.get(engine);
        if (since === undefined) {
          this.waitingSince.set(engine, Date.now());
          this.say(`waiting for ${engine}: ${(e as Error).message}`);
        } else if (Date.now() - since > this.giveUpMs) {
          throw e;
        }
        await sleep(1_000);
      }
    }
  }
}
