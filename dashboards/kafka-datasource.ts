/**
 * The Kafka data source plugin (hamedkarbasi93-kafka-datasource at GRAFANA_KAFKA_PLUGIN_VERSION), as
 * far as livetally uses it: the settings a provisioned data source carries (jsonData, secureJsonData),
 * a typed model of the project's own; kafka-datasource.test.ts checks it against the fields of the
 * pinned release.
 */

/** The data source's settings (jsonData of a provisioned data source). */
export interface KafkaDatasourceJsonData {
  /** host:port, comma-separated. */
  readonly bootstrapServers: string;
  /** The client id the brokers know its connections by. */
  readonly clientId: string;
  readonly securityProtocol: "PLAINTEXT" | "SASL_PLAINTEXT" | "SASL_SSL" | "SSL";
  readonly saslMechanisms: "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";
  readonly saslUsername: string;
  /** A Confluent-compatible registry API: the plugin asks it for <topic>-value's latest schema. */
  readonly schemaRegistryUrl: string;
}

/** The data source's secrets (secureJsonData), which Grafana stores encrypted. */
export interface KafkaDatasourceSecureJsonData {
  readonly saslPassword: string;
}
