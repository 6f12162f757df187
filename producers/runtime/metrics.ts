import client from "prom-client";

/**
 * The Prometheus metrics of the election services. The names are a contract: the Grafana dashboards
 * query exactly these.
 */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    votesCast: new client.Counter({
      name: "livetally_votes_cast_total",
      help: "Votes stored in PostgreSQL and produced to the votes topic for the first time.",
      registers: [registry],
    }),
    votesReemitted: new client.Counter({
      name: "livetally_votes_reemitted_total",
      help: "Stored votes produced again because their voter was delivered again.",
      registers: [registry],
    }),
    deadLetters: new client.Counter({
      name: "livetally_dead_letters_total",
      help: "Records sent to the dead-letter topic, by reason.",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    voteBatchDuration: new client.Histogram({
      name: "livetally_vote_batch_duration_seconds",
      help: "Time to store and produce one batch of votes and commit its offsets.",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    consumerLag: new client.Gauge({
      name: "livetally_consumer_lag",
      help: "Records on a partition not yet processed (high watermark minus next offset).",
      labelNames: ["topic", "partition"] as const,
      registers: [registry],
    }),
    votersRegistered: new client.Counter({
      name: "livetally_voters_registered_total",
      help: "Voters added to the register and produced to the voters topic.",
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
