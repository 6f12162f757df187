import { App, Chart } from "cdk8s";
import { describe, expect, it } from "vitest";
import { chartObjects } from "./meta.js";
import { ServicesConfig, type ServicesConfigProps } from "./services-config.js";

function data(p: ServicesConfigProps): Record<string, string> {
  const chart = new Chart(new App(), "test");
  new ServicesConfig(chart, "services-config", p);
  const [cm] = chartObjects(chart) as unknown as { data: Record<string, string> }[];
  return cm?.data ?? {};
}

describe("ServicesConfig", () => {
  it("carries what every election's services share, at log level info unless told, and no election", () => {
    expect(data({})).toEqual({
      LOG_LEVEL: "info",
      KAFKA_BOOTSTRAP_SERVERS: "livetally-kafka-bootstrap:9092",
      SCHEMA_REGISTRY_URL: "http://livetally-registry:8080/apis/ccompat/v7",
      HTTP_PORT: "9464",
    });
    expect(data({ logLevel: "debug" }).LOG_LEVEL).toBe("debug");
  });
});
