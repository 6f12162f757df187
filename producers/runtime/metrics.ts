import client from "prom-client";
import { ELECTION_LABEL, metricNames } from "./metric-names.js";

/**
 * The Prometheus metrics of the election services, under the names the dashboards query, each labelled
 * with the election the service serves (the process's default metrics too).
 */
export function createMetrics(election: string) {
  const registry = new client.Registry();
  registry.setDefaultLabels({ [ELECTION_LABEL]: election });
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    votesCast: new client.Counter({
      name: metricNames.votesCast,
      help: "Votes stored in PostgreSQL and produced to the votes topic for the first time.",
      registers: [registry],
    }),
    votesReemitted: new client.Counter({
      name: metricNames.votesReemitted,
      help: "Stored votes produced again because their voter was delivered again.",
      registers: [registry],
    }),
    deadLetters: new client.Counter({
      name: metricNames.deadLetters,
      help: "Records sent to the dead-letter topic, by reason.",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    voteBatchDuration: new client.Histogram({
      name: metricNames.voteBatchDuration,
      help: "Time to store and produce one batch of votes and commit its offsets.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    consumerLag: new client.Gauge({
      name: metricNames.consumerLag,
      help: "Records on a partition not yet processed (high watermark minus next offset).",
      labelNames: ["topic", "partition"] as const,
      registers: [registry],
    }),
    votersRegistered: new client.Counter({
      name: metricNames.votersRegistered,
      help: "Voters added to the register and produced to the voters topic.",
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
