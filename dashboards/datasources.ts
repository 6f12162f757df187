import type { DataSourceRef } from "@grafana/grafana-foundation-sdk/common";

/**
 * The datasources the dashboards read, by the UIDs Grafana is provisioned with in cdk8s/lib/grafana.ts.
 * A panel names its datasource by UID, so provisioning the same JSON twice changes nothing.
 */
export const postgresDatasource = {
  type: "grafana-postgresql-datasource",
  uid: "livetally-postgres",
} as const satisfies DataSourceRef;

export const prometheusDatasource = {
  type: "prometheus",
  uid: "prometheus",
} as const satisfies DataSourceRef;

/** The Kafka data source plugin (dashboards/kafka-datasource.ts), reading the elections' aggregated topics. */
export const kafkaDatasource = {
  type: "hamedkarbasi93-kafka-datasource",
  uid: "livetally-kafka",
} as const satisfies DataSourceRef;

export const knownDatasources: readonly DataSourceRef[] = [
  postgresDatasource,
  prometheusDatasource,
  kafkaDatasource,
];
