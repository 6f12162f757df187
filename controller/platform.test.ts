import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { synthesize } from "../cdk8s/app.js";
import { platformConfig } from "../cdk8s/config.js";
import { controller } from "../cdk8s/names.js";
import { readPlatform } from "./platform.js";

/** The files of the controller's ConfigMap, as the pod has them. */
function mounted(data: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "livetally-platform-"));
  for (const [file, text] of Object.entries(data)) writeFileSync(join(dir, file), text);
  return dir;
}

const configMap = (profile: "kind" | "production") =>
  (
    synthesize(platformConfig(profile)).find(
      (o) => o.kind === "ConfigMap" && o.metadata.name === controller.configMap,
    ) as unknown as {
      data: Record<string, string>;
    }
  ).data;

describe("the platform the controller builds elections on", () => {
  it.each(["kind", "production"] as const)(
    "is the %s profile again, read from its own ConfigMap",
    (profile) => {
      const platform = readPlatform(mounted(configMap(profile)));
      expect(platform.config).toEqual(platformConfig(profile));
      expect(platform.files.sqlScripts.length).toBeGreaterThan(0);
    },
  );

  it("refuses values the chart's schema refuses, and a broken build file, with every problem", () => {
    const data = configMap("kind");
    const values = JSON.parse(data[controller.valuesKey] ?? "{}") as Record<string, Record<string, unknown>>;
    values.kafka = { ...values.kafka, brokers: 0 };
    expect(() =>
      readPlatform(
        mounted({
          [controller.valuesKey]: JSON.stringify(values),
          [controller.buildKey]: JSON.stringify({ profile: "laptop", flinkVersion: "", sqlScripts: [] }),
        }),
      ),
    ).toThrow(
      /values\.json\.kafka\.brokers: must be >= 1[\s\S]*build\.json\.profile[\s\S]*flinkVersion[\s\S]*sqlScripts/,
    );
    expect(() => readPlatform(mounted({}))).toThrow(/values\.json: ENOENT[\s\S]*build\.json: ENOENT/);
  });
});
