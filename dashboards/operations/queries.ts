import {
  ELECTION_LABEL,
  controllerMetricNames as controller,
  metricNames,
} from "../../producers/runtime/metric-names.js";
import type { PromTarget } from "../panels.js";

/**
 * The PromQL of every operations panel, by panel. `$__rate_interval` is Grafana's own range for rate(),
 * at least four scrape intervals.
 *
 * The services label every metric with their election, so their panels show the elections the election
 * variable selects (Grafana puts several in as a regex; All is `.*`), one series per election. Flink's,
 * PostgreSQL's and Kafka's metrics carry no election label and are not filtered: the tally jobs of all
 * elections share the Flink cluster, the elections share the database and the brokers.
 */
const rate = (metric: string) => `rate(${metric}[$__rate_interval])`;
/** A service metric's series of the selected elections. */
const ofElections = (metric: string) => `${metric}{${ELECTION_LABEL}=~"$election"}`;
/** The rate of a service counter, summed per election (and per each label of `by`). */
const perElection = (metric: string, ...by: string[]) =>
  `sum by (${[ELECTION_LABEL, ...by].join(", ")}) (${rate(ofElections(metric))})`;
const electionInLegend = `{{${ELECTION_LABEL}}}`;

/** The elections whose services report metrics, for the election variable. */
export const electionVariableQuery = `label_values(${metricNames.votesCast}, ${ELECTION_LABEL})`;

export const operationsQueries = {
  // The controller: one replica leads and reconciles; its metrics carry no election label.
  controllerReconciles: [
    { expr: `sum by (outcome) (${rate(controller.reconciles)})`, legend: "{{outcome}}" },
    { expr: `sum(${rate(controller.reconcileErrors)})`, legend: "errors (retried with backoff)" },
  ],
  controllerDuration: [0.5, 0.99].map((quantile) => ({
    expr: `histogram_quantile(${quantile}, sum by (le) (${rate(`${controller.reconcileDuration}_bucket`)}))`,
    legend: `p${quantile * 100}`,
  })),
  controllerQueue: [{ expr: `max(${controller.queueDepth})`, legend: "Elections waiting for a worker" }],
  controllerLeaders: [{ expr: `sum(${controller.leader})`, legend: "replicas leading" }],
  controllerPhases: [{ expr: `max by (phase) (${controller.elections})`, legend: "{{phase}}" }],
  controllerWatchRestarts: [
    {
      expr: `sum by (resource) (increase(${controller.watchRestarts}[$__rate_interval]))`,
      legend: "{{resource}}",
    },
  ],
  votes: [
    { expr: perElection(metricNames.votesCast), legend: `cast: ${electionInLegend}` },
    { expr: perElection(metricNames.votesReemitted), legend: `re-emitted: ${electionInLegend}` },
    {
      expr: perElection(metricNames.deadLetters, "reason"),
      legend: `dead-lettered: ${electionInLegend} {{reason}}`,
    },
  ],
  votersRegistered: [
    { expr: perElection(metricNames.votersRegistered), legend: `registered: ${electionInLegend}` },
  ],
  batchLatency: [0.5, 0.95, 0.99].map((quantile) => ({
    expr: `histogram_quantile(${quantile}, ${perElection(`${metricNames.voteBatchDuration}_bucket`, "le")})`,
    legend: `p${quantile * 100}: ${electionInLegend}`,
  })),
  // The voting service reports its own lag; Flink's Kafka source reports what it has not read yet; the
  // Kafka Exporter sees every group from the broker's side.
  consumerLag: [
    {
      expr: `sum by (${ELECTION_LABEL}) (${ofElections(metricNames.consumerLag)})`,
      legend: `voting: ${electionInLegend} (service)`,
    },
    {
      expr: "sum(flink_taskmanager_job_task_operator_pendingRecords)",
      legend: "tally jobs (Flink source)",
    },
    { expr: "sum by (consumergroup) (kafka_consumergroup_lag)", legend: "{{consumergroup}} (broker)" },
  ],
  flinkRecords: [
    {
      expr: "sum by (task_name) (flink_taskmanager_job_task_numRecordsInPerSecond)",
      legend: "in: {{task_name}}",
    },
    {
      expr: "sum by (task_name) (flink_taskmanager_job_task_numRecordsOutPerSecond)",
      legend: "out: {{task_name}}",
    },
  ],
  checkpointDuration: [
    { expr: "max(flink_jobmanager_job_lastCheckpointDuration)", legend: "last checkpoint" },
  ],
  checkpointFailures: [
    {
      expr: "sum(increase(flink_jobmanager_job_numberOfFailedCheckpoints[$__rate_interval]))",
      legend: "failed",
    },
    {
      expr: "sum(increase(flink_jobmanager_job_numberOfCompletedCheckpoints[$__rate_interval]))",
      legend: "completed",
    },
  ],
  // Records the tally job kept in rejected_records instead of counting (flink-sql/sql/25-checks.sql).
  rejectedRecords: [
    {
      expr: "sum by (reason) (increase(flink_taskmanager_job_task_operator_reason_rejectedRecords[$__rate_interval]))",
      legend: "{{reason}}",
    },
  ],
  backpressure: [
    {
      expr: "max by (task_name) (flink_taskmanager_job_task_backPressuredTimeMsPerSecond)",
      legend: "back-pressured: {{task_name}}",
    },
    {
      expr: "max by (task_name) (flink_taskmanager_job_task_busyTimeMsPerSecond)",
      legend: "busy: {{task_name}}",
    },
  ],
  postgresConnections: [
    { expr: "sum by (state) (cnpg_backends_total)", legend: "{{state}}" },
    { expr: "sum(cnpg_backends_waiting_total)", legend: "waiting on locks" },
  ],
  postgresTransactions: [
    {
      expr: `sum by (datname) (${rate("cnpg_pg_stat_database_xact_commit")})`,
      legend: "commits: {{datname}}",
    },
    {
      expr: `sum by (datname) (${rate("cnpg_pg_stat_database_xact_rollback")})`,
      legend: "rollbacks: {{datname}}",
    },
  ],
  kafkaBrokersOnline: [{ expr: "count(kafka_server_replicamanager_leadercount)", legend: "brokers" }],
  kafkaActiveControllers: [
    { expr: "sum(kafka_controller_kafkacontroller_activecontrollercount)", legend: "active" },
  ],
  kafkaReplicas: [{ expr: "sum(kafka_server_replicamanager_partitioncount)", legend: "replicas" }],
  kafkaUnderReplicated: [
    { expr: "sum(kafka_server_replicamanager_underreplicatedpartitions)", legend: "under-replicated" },
  ],
  kafkaUnderMinIsr: [{ expr: "sum(kafka_cluster_partition_underminisr)", legend: "under min ISR" }],
  kafkaOffline: [{ expr: "sum(kafka_controller_kafkacontroller_offlinepartitionscount)", legend: "offline" }],
} as const satisfies Record<string, readonly PromTarget[]>;
