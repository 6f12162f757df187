import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { synthesize } from "../cdk8s/app.js";
import { platformConfig, profiles } from "../cdk8s/config.js";
import { grafana } from "../cdk8s/names.js";
import { versions } from "../versions.js";
import { kafkaDatasource } from "./datasources.js";

/**
 * What release 1.7.2 of the plugin (github.com/hoptical/grafana-kafka-datasource, tag v1.7.2) takes,
 * read from its source: the settings it reads (KafkaDataSourceOptions in src/types.ts, Options in
 * pkg/kafka_client/client.go, getDatasourceSettings in pkg/plugin/plugin.go) and the choices its config
 * editor offers (src/ConfigEditor.tsx). Pinning another release means reading it again.
 */
const plugin = {
  id: "hamedkarbasi93-kafka-datasource",
  version: "1.7.2",
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

describe("the Kafka data source plugin", () => {
  it("is pinned to the release whose fields this test records, and named by its plugin id", () => {
    expect(versions().GRAFANA_KAFKA_PLUGIN_VERSION).toBe(plugin.version);
    expect(kafkaDatasource.type).toBe(plugin.id);
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
