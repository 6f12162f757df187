import { describe, expect, it } from "vitest";
import { serviceConfig } from "./config.js";

describe("service configuration", () => {
  it("has defaults for the local stack", () => {
    const c = serviceConfig({});
    expect(c.httpPort).toBe(9464);
    expect(c.electionSeed).toBe(2026);
    expect(c.votingRateLimit).toBe(0);
    expect(c.logLevel).toBe("info");
    expect(c.kafka.sasl).toBeUndefined();
  });

  it("reads SCRAM credentials and the Kubernetes endpoints", () => {
    const c = serviceConfig({
      KAFKA_BOOTSTRAP_SERVERS: "kafka-0:9093,kafka-1:9093",
      KAFKA_SASL_USERNAME: "voting",
      KAFKA_SASL_PASSWORD: "secret",
      DATABASE_URL: "postgresql://u:p@pg:5432/livetally",
      VOTING_RATE_LIMIT: "250",
    });
    expect(c.kafka.brokers).toEqual(["kafka-0:9093", "kafka-1:9093"]);
    expect(c.kafka.sasl).toEqual({ username: "voting", password: "secret" });
    expect(c.votingRateLimit).toBe(250);
  });

  it("names every bad value in one message", () => {
    let message = "";
    try {
      serviceConfig({
        HTTP_PORT: "http",
        LOG_LEVEL: "loud",
        ELECTION_SEED: "-4",
        VOTING_RATE_LIMIT: "fast",
        KAFKA_SASL_USERNAME: "only-me",
        KAFKA_SSL_CA_FILE: "/nonexistent/ca.crt",
        DATABASE_URL: "mysql://x",
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(
      message
        .split("\n")
        .slice(1)
        .map((l) => l.trim()),
    ).toEqual([
      "DATABASE_URL=mysql://x: expected a postgresql: or postgres: URL",
      "HTTP_PORT=http: expected a TCP port from 1 to 65535",
      "VOTING_RATE_LIMIT=fast: expected a number of at least 0",
      "ELECTION_SEED=-4: expected a whole number of at least 0",
      "LOG_LEVEL=loud: expected one of debug, info, warn, error",
      "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: set both or neither",
      "KAFKA_SSL_CA_FILE=/nonexistent/ca.crt: no such file",
    ]);
  });
});
