import type { DataSourceRef } from "@grafana/grafana-foundation-sdk/common";
import type { Builder, Dataquery } from "@grafana/grafana-foundation-sdk/cog";
import { kafkaDatasource } from "./datasources.js";

/**
 * The Kafka data source plugin (hamedkarbasi93-kafka-datasource at GRAFANA_KAFKA_PLUGIN_VERSION), as
 * far as livetally uses it. The SDK has no builder for it, so this is a typed model of its own:
 * the query a panel saves (the plugin's KafkaQuery; its backend reads the same keys) and the settings
 * a provisioned data source carries (jsonData, secureJsonData). kafka-datasource.test.ts checks both
 * against the fields of the pinned release.
 */

/**
 * Where each partition is read from: its first offset, its end (new records only), or lastN offsets
 * before its end.
 */
export type OffsetMode = "earliest" | "latest" | "lastN";

export interface KafkaQuery {
  refId?: string;
  hide?: boolean;
  datasource?: DataSourceRef;
  /** The plugin's frontend interpolates template variables in it before it subscribes. */
  topicName: string;
  /** "all": every partition, each read from its own start offset. */
  partition: number | "all";
  autoOffsetReset: OffsetMode;
  /** Only with lastN. */
  lastN?: number;
  /** "message": a row's time is the record's timestamp; "now": when the plugin read it. */
  timestampMode: "now" | "message";
  messageFormat: "json" | "avro" | "protobuf" | "plaintext" | "lineprotocol";
  /** Only with avro: the schema registry of the data source, or a schema in the query. */
  avroSchemaSource?: "schemaRegistry" | "inlineSchema";
  /** "none": the record key is not a column. */
  keyFormat?: "none" | "string" | "json" | "base64";
  _implementsDataqueryVariant(): void;
}

/** How a live panel reads a topic: Avro values decoded through the data source's registry. */
export interface TopicRead {
  readonly topic: string;
  readonly offsets:
    { readonly mode: "earliest" | "latest" } | { readonly mode: "lastN"; readonly lastN: number };
}

export class KafkaQueryBuilder implements Builder<Dataquery> {
  private readonly internal: KafkaQuery;

  constructor(read: TopicRead) {
    this.internal = {
      datasource: kafkaDatasource,
      topicName: read.topic,
      partition: "all",
      autoOffsetReset: read.offsets.mode,
      ...(read.offsets.mode === "lastN" ? { lastN: read.offsets.lastN } : {}),
      timestampMode: "message",
      messageFormat: "avro",
      avroSchemaSource: "schemaRegistry",
      // Each record's value carries its key's fields too (the tally job writes 'value.fields-include' = 'ALL').
      keyFormat: "none",
      _implementsDataqueryVariant() {},
    };
  }

  refId(refId: string): this {
    this.internal.refId = refId;
    return this;
  }

  build(): KafkaQuery {
    return this.internal;
  }
}

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

/**
 * A topic name as the plugin subscribes to it: Grafana's `${name:text}` replaced by the text of the
 * variable's current option (the election's name, where its value is the election's schema). Any other
 * variable syntax is refused rather than guessed at.
 */
export function interpolateTopic(topic: string, texts: Readonly<Record<string, string>>): string {
  const out = topic.replace(/\$\{(\w+):text\}/g, (_whole, name: string) => {
    const text = texts[name];
    if (text === undefined) throw new Error(`no text for template variable $${name}`);
    return text;
  });
  if (out.includes("$")) throw new Error(`unsupported template variable syntax in topic ${topic}`);
  return out;
}
