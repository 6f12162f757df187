import { App, Chart } from "cdk8s";
import { describe, expect, it } from "vitest";
import { chartObjects } from "./meta.js";
import { ServicesConfig, type ServicesConfigProps } from "./services-config.js";

const election = { voters: 1000, seed: 42, votingRateLimit: 20 };

function data(p: ServicesConfigProps): Record<string, string> {
  const chart = new Chart(new App(), "test");
  new ServicesConfig(chart, "services-config", p);
  const [cm] = chartObjects(chart) as unknown as { data: Record<string, string> }[];
  return cm?.data ?? {};
}

describe("ServicesConfig", () => {
  it("carries the election's settings as strings, at log level info unless told", () => {
    expect(data({ election })).toMatchObject({
      LOG_LEVEL: "info",
      VOTERS: "1000",
      ELECTION_SEED: "42",
      VOTING_RATE_LIMIT: "20",
      KAFKA_BOOTSTRAP_SERVERS: "livetally-kafka-bootstrap:9092",
    });
    expect(data({ election, logLevel: "debug" }).LOG_LEVEL).toBe("debug");
  });
});
