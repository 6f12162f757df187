/**
 * The names of the election services' Prometheus metrics: the services register them
 * (producers/runtime/metrics.ts) and the operations dashboard queries them
 * (dashboards/operations/queries.ts), both from here.
 */
export const metricNames = {
  votesCast: "livetally_votes_cast_total",
  votesReemitted: "livetally_votes_reemitted_total",
  deadLetters: "livetally_dead_letters_total",
  voteBatchDuration: "livetally_vote_batch_duration_seconds",
  consumerLag: "livetally_consumer_lag",
  votersRegistered: "livetally_voters_registered_total",
} as const;

/**
 * The Election controller's metrics (controller/metrics.ts), which the operations dashboard's
 * controller row queries. They carry no election label: one controller runs every election.
 */
export const controllerMetricNames = {
  reconciles: "livetally_controller_reconciles_total",
  reconcileErrors: "livetally_controller_reconcile_errors_total",
  reconcileDuration: "livetally_controller_reconcile_duration_seconds",
  queueDepth: "livetally_controller_queue_depth",
  leader: "livetally_controller_leader",
  watchRestarts: "livetally_controller_watch_restarts_total",
  elections: "livetally_controller_elections",
} as const;

/**
 * The label every metric of a service carries, naming the election it serves (its metadata.name): the
 * operations dashboard filters by it, since elections share a Prometheus.
 */
export const ELECTION_LABEL = "election";
