import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { synthesize } from "../cdk8s/app.js";
import { platformConfig, profiles } from "../cdk8s/config.js";
import { grafana } from "../cdk8s/names.js";
import { versions } from "../versions.js";
import { allDashboards } from "./build.js";
import { kafkaDatasource } from "./datasources.js";
import { interpolateTopic, KafkaQueryBuilder } from "./kafka-datasource.js";
import { kafkaTargets } from "./model.js";

/**
 * What release 1.7.2 of the plugin (github.com/hoptical/grafana-kafka-datasource, tag v1.7.2) takes,
 * read from its source: the query its frontend saves and interpolates (KafkaQuery and the enums in
 * src/types.ts, DataSource.applyTemplateVariables in src/datasource.ts), the query its backend reads
 * (queryModel in pkg/plugin/plugin.go), the settings it reads (KafkaDataSourceOptions in src/types.ts,
 * Options in pkg/kafka_client/client.go, getDatasourceSettings in pkg/plugin/plugin.go) and the choices
 * its config editor offers (src/ConfigEditor.tsx). Pinning another release means reading it again.
 */
const plugin = {
  id: "hamedkarbasi93-kafka-datasource",
  version: "1.7.2",
  query: {
    /** Grafana's DataQuery, which every query extends. */
    base: ["refId", "hide", "key", "queryType", "datasource"],
    frontend: [
      "topicName",
      "partition",
      "autoOffsetReset",
      "timestampMode",
      "lastN",
      "messageFormat",
      "avroSchemaSource",
      "avroSchema",
      "protobufSchemaSource",
      "protobufSchema",
      "lineProtocolTimestampPrecision",
      "lineProtocolMeasurements",
      "lineProtocolFields",
      "lineProtocolTags",
      "keyFormat",
      "alias",
    ],
    backend: [
      "topicName",
      "partition",
      "autoOffsetReset",
      "timestampMode",
      "lastN",
      "messageFormat",
      "avroSchemaSource",
      "avroSchema",
      "protobufSchemaSource",
      "protobufSchema",
      "keyFormat",
      "lineProtocolTimestampPrecision",
      "lineProtocolMeasurements",
      "lineProtocolFields",
      "lineProtocolTags",
      "refId",
      "alias",
    ],
    /** Only topicName, partition, lastN and the line-protocol filters are interpolated. */
    templated: ["topicName", "partition", "lastN"],
    values: {
      autoOffsetReset: ["earliest", "latest", "lastN"],
      timestampMode: ["now", "message"],
      messageFormat: ["json", "avro", "protobuf", "plaintext", "lineprotocol"],
      avroSchemaSource: ["schemaRegistry", "inlineSchema"],
      keyFormat: ["none", "string", "json", "base64"],
    },
  },
  settings: {
    jsonData: [
      "bootstrapServers",
      "clientId",
      "securityProtocol",
      "saslMechanisms",
      "saslUsername",
      "logLevel",
      "healthcheckTimeout",
      "tlsAuthWithCACert",
      "tlsAuth",
      "tlsSkipVerify",
      "serverName",
      "timeout",
      "schemaRegistryUrl",
      "schemaRegistryUsername",
      "flattenMaxDepth",
      "flattenFieldCap",
    ],
    secureJsonData: [
      "saslPassword",
      "tlsCACert",
      "tlsClientCert",
      "tlsClientKey",
      "schemaRegistryUsername",
      "schemaRegistryPassword",
    ],
    values: {
      securityProtocol: ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"],
      saslMechanisms: ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"],
    },
  },
} as const;

const targets = allDashboards().flatMap(kafkaTargets);

describe("the Kafka data source plugin", () => {
  it("is pinned to the release whose fields this test records, and named by its plugin id", () => {
    expect(versions().GRAFANA_KAFKA_PLUGIN_VERSION).toBe(plugin.version);
    expect(kafkaDatasource.type).toBe(plugin.id);
  });
});

describe("every Kafka query of the dashboards", () => {
  it("exists, and names the provisioned Kafka data source", () => {
    expect(targets.length).toBeGreaterThan(0);
    for (const { panel, target } of targets) {
      expect(target.datasource, panel.title).toEqual(kafkaDatasource);
      expect(panel.datasource, panel.title).toEqual(kafkaDatasource);
    }
  });

  it("has only fields the plugin's frontend saves, and its backend reads every one that is not Grafana's", () => {
    for (const { panel, target } of targets) {
      for (const key of Object.keys(target)) {
        expect([...plugin.query.base, ...plugin.query.frontend], `${panel.title}: ${key}`).toContain(key);
        if (key !== "datasource" && key !== "hide")
          expect(plugin.query.backend, `${panel.title}: ${key}`).toContain(key);
      }
    }
  });

  it("takes only values the plugin knows, in every field that has a choice", () => {
    for (const { panel, target } of targets) {
      for (const [field, values] of Object.entries(plugin.query.values)) {
        if (target[field] !== undefined) expect(values, `${panel.title}: ${field}`).toContain(target[field]);
      }
      expect(target.partition === "all" || Number.isInteger(target.partition), panel.title).toBe(true);
      if (target.autoOffsetReset === "lastN") {
        expect(Number.isInteger(target.lastN) && (target.lastN as number) > 0, panel.title).toBe(true);
      } else {
        expect(target.lastN, panel.title).toBeUndefined();
      }
    }
  });

  it("decodes Avro through the data source's registry, the only way the pinned tally topics can be read", () => {
    for (const { panel, target } of targets) {
      expect(target, panel.title).toMatchObject({
        messageFormat: "avro",
        avroSchemaSource: "schemaRegistry",
      });
      expect(target.avroSchema, panel.title).toBeUndefined();
    }
  });

  it("follows the election variable in its topic, which the plugin interpolates", () => {
    expect(plugin.query.templated).toContain("topicName");
    for (const { panel, target } of targets) {
      expect(target.topicName, panel.title).toMatch(/^\$\{election:text\}\.aggregated_\w+$/);
      const topic = interpolateTopic(target.topicName ?? "", { election: "city-council" });
      expect(topic, panel.title).toMatch(/^city-council\.aggregated_\w+$/);
    }
  });
});

describe.each(profiles)("the Kafka data source Grafana is provisioned with (%s)", (profile) => {
  const configMap = synthesize(platformConfig(profile)).find(
    (o) => o.kind === "ConfigMap" && o.metadata.name === grafana.datasourcesConfigMap,
  ) as unknown as { data: Record<string, string> };
  const { datasources } = parse(configMap.data["datasources.yaml"] ?? "") as {
    datasources: {
      uid: string;
      type: string;
      jsonData: Record<string, unknown>;
      secureJsonData: Record<string, string>;
    }[];
  };
  const kafka = datasources.find((d) => d.uid === kafkaDatasource.uid);

  it("is the plugin's, under the UID the panels name", () => {
    expect(kafka?.type).toBe(plugin.id);
  });

  it("sets only settings the plugin reads, with values it offers", () => {
    for (const key of Object.keys(kafka?.jsonData ?? {})) expect(plugin.settings.jsonData).toContain(key);
    for (const key of Object.keys(kafka?.secureJsonData ?? {}))
      expect(plugin.settings.secureJsonData).toContain(key);
    for (const [field, values] of Object.entries(plugin.settings.values))
      expect(values, field).toContain(kafka?.jsonData[field]);
  });

  it("has what SASL and the Avro panels need: a user, a password from a file, the registry", () => {
    // The plugin refuses SASL without both; the panels decode through the registry.
    expect(kafka?.jsonData.securityProtocol).toMatch(/^SASL_/);
    expect(kafka?.jsonData.saslUsername).toEqual(expect.any(String));
    expect(kafka?.secureJsonData.saslPassword).toMatch(/^\$__file\{\/var\/run\/secrets\/livetally\/.+\}$/);
    expect(kafka?.jsonData.schemaRegistryUrl).toMatch(/^http:\/\/.+\/apis\/ccompat\/v7$/);
  });
});

describe("interpolateTopic", () => {
  it("puts in a variable's text, and refuses what it does not know", () => {
    expect(interpolateTopic("${election:text}.x", { election: "general-2026" })).toBe("general-2026.x");
    expect(() => interpolateTopic("${other:text}.x", { election: "e" })).toThrow(/no text for .*\$other/);
    expect(() => interpolateTopic("$election.x", { election: "e" })).toThrow(/unsupported/);
    expect(() => interpolateTopic("${election}.x", { election: "e" })).toThrow(/unsupported/);
  });
});

describe("KafkaQueryBuilder", () => {
  it("sets lastN only for a lastN read", () => {
    const latest = new KafkaQueryBuilder({ topic: "t", offsets: { mode: "latest" } }).build();
    expect(latest).toMatchObject({ topicName: "t", autoOffsetReset: "latest", partition: "all" });
    expect("lastN" in latest).toBe(false);
    const tail = new KafkaQueryBuilder({ topic: "t", offsets: { mode: "lastN", lastN: 5 } })
      .refId("B")
      .build();
    expect(tail).toMatchObject({ autoOffsetReset: "lastN", lastN: 5, refId: "B" });
  });
});
