import client from "prom-client";
import { controllerMetricNames as names } from "../producers/runtime/metric-names.js";
import type { ElectionStatus } from "../schemas/generated/election-status.js";

/** What a reconcile did: applied the election's objects, found them as applied, or removed the election. */
export type ReconcileOutcome = "applied" | "unchanged" | "removed";

/** The controller's Prometheus metrics, under the names the operations dashboard queries. */
export function createControllerMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    reconciles: new client.Counter({
      name: names.reconciles,
      help: "Reconciles that ended without error, by what they did.",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    reconcileErrors: new client.Counter({
      name: names.reconcileErrors,
      help: "Reconciles that failed and were queued again with a backoff.",
      registers: [registry],
    }),
    reconcileDuration: new client.Histogram({
      name: names.reconcileDuration,
      help: "Time one reconcile of one Election took.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    queueDepth: new client.Gauge({
      name: names.queueDepth,
      help: "Election keys waiting for a worker.",
      registers: [registry],
    }),
    leader: new client.Gauge({
      name: names.leader,
      help: "1 while this replica holds the Lease and reconciles, 0 while it stands by.",
      registers: [registry],
    }),
    watchRestarts: new client.Counter({
      name: names.watchRestarts,
      help: "Watches started again after an error, by resource.",
      labelNames: ["resource"] as const,
      registers: [registry],
    }),
    elections: new client.Gauge({
      name: names.elections,
      help: "Elections in the namespace, by phase.",
      labelNames: ["phase"] as const,
      registers: [registry],
    }),
  };
}

export type ControllerMetrics = ReturnType<typeof createControllerMetrics>;

/**
 * Every series of a labelled counter or gauge at zero from the start, so the dashboard shows zero
 * rather than nothing and rate() has a point to start from.
 */
export function zeroSeries(metrics: ControllerMetrics, watched: readonly string[]): void {
  for (const outcome of ["applied", "unchanged", "removed"] as const) metrics.reconciles.inc({ outcome }, 0);
  for (const resource of watched) metrics.watchRestarts.inc({ resource }, 0);
  for (const phase of PHASES) metrics.elections.set({ phase }, 0);
  metrics.leader.set(0);
}

export type Phase = NonNullable<ElectionStatus["phase"]>;

export const PHASES: readonly Phase[] = [
  "Pending",
  "Provisioning",
  "Registering",
  "Voting",
  "Tallying",
  "Certified",
  "Failed",
];
