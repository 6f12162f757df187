/**
 * Metric names of the exporters that run beside livetally in Kubernetes, as their documentation gives
 * them. Our own services' names are not here: they are checked against the live /metrics of the
 * voting service instead (producers/runtime/metrics.ts).
 */
export interface ExporterMetrics {
  /** Where the names are documented. */
  readonly source: string;
  readonly names: readonly string[];
}

export const exporterMetrics = {
  /*
   * Flink's Prometheus reporter (metrics.reporter.prom, cdk8s/lib/flink-job.ts) names a metric by its
   * scope joined with underscores: flink_<jobmanager|taskmanager>_job[_task[_operator]]_<metric>.
   * Metrics: https://nightlies.apache.org/flink/flink-docs-release-2.0/docs/ops/metrics/ (IO:
   * numRecordsIn/OutPerSecond, backPressuredTimeMsPerSecond, busyTimeMsPerSecond; Checkpointing:
   * lastCheckpointDuration, numberOfFailedCheckpoints, numberOfCompletedCheckpoints; Connectors, the
   * FLIP-33 source metric pendingRecords, which the Kafka source reports per operator). A metric in a
   * key/value group (MetricGroup#addGroup(key, value), "User Variables" on that page) gets the key in its
   * name and the value as a label: the tally job's count_rejection counts rejectedRecords in a group
   * reason=<reason>, reported as flink_taskmanager_job_task_operator_reason_rejectedRecords{reason=...}.
   */
  flink: {
    source: "https://nightlies.apache.org/flink/flink-docs-release-2.0/docs/ops/metrics/",
    names: [
      "flink_taskmanager_job_task_numRecordsInPerSecond",
      "flink_taskmanager_job_task_numRecordsOutPerSecond",
      "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
      "flink_taskmanager_job_task_busyTimeMsPerSecond",
      "flink_taskmanager_job_task_operator_pendingRecords",
      "flink_taskmanager_job_task_operator_reason_rejectedRecords",
      "flink_jobmanager_job_lastCheckpointDuration",
      "flink_jobmanager_job_numberOfFailedCheckpoints",
      "flink_jobmanager_job_numberOfCompletedCheckpoints",
    ],
  },
  /*
   * Strimzi Metrics Reporter (metricsConfig type strimziMetricsReporter, cdk8s/lib/kafka-cluster.ts):
   * the names its example dashboard queries, strimzi-kafka-operator
   * packaging/examples/metrics/strimzi-metrics-reporter/grafana-dashboards/strimzi-kafka.json.
   */
  strimziKafka: {
    source:
      "https://github.com/strimzi/strimzi-kafka-operator/blob/main/packaging/examples/metrics/strimzi-metrics-reporter/grafana-dashboards/strimzi-kafka.json",
    names: [
      "kafka_server_replicamanager_leadercount",
      "kafka_server_replicamanager_partitioncount",
      "kafka_server_replicamanager_underreplicatedpartitions",
      "kafka_controller_kafkacontroller_activecontrollercount",
      "kafka_controller_kafkacontroller_offlinepartitionscount",
      "kafka_cluster_partition_underminisr",
    ],
  },
  /*
   * Strimzi's Kafka Exporter (spec.kafkaExporter of the Kafka resource): consumer group lag per
   * group, topic and partition. https://strimzi.io/docs/operators/latest/deploying#con-metrics-kafka-exporter-lag-str
   */
  strimziKafkaExporter: {
    source: "https://strimzi.io/docs/operators/latest/deploying#con-metrics-kafka-exporter-lag-str",
    names: ["kafka_consumergroup_lag"],
  },
  /*
   * CloudNativePG's default monitoring queries (config/manager/default-monitoring.yaml, documented at
   * https://cloudnative-pg.io/documentation/current/monitoring/): a metric is
   * cnpg_<query>_<column>, e.g. the backends query's total column.
   */
  cloudnativePg: {
    source: "https://cloudnative-pg.io/documentation/current/monitoring/",
    names: [
      "cnpg_backends_total",
      "cnpg_backends_waiting_total",
      "cnpg_pg_stat_database_xact_commit",
      "cnpg_pg_stat_database_xact_rollback",
    ],
  },
} as const satisfies Record<string, ExporterMetrics>;

export const documentedExporterMetricNames: ReadonlySet<string> = new Set(
  Object.values(exporterMetrics).flatMap((e) => e.names),
);
