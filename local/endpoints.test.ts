import { describe, expect, it } from "vitest";
import { endpoints, localServiceEnv } from "./endpoints.js";

describe("endpoints", () => {
  it("point at the local stack by default", () => {
    const e = endpoints({ LIVETALLY_KAFKA_PORT: "30001", LIVETALLY_PG_PASSWORD: "p@ss" });
    expect(e.kafkaBrokers).toEqual(["127.0.0.1:30001"]);
    expect(e.registryUrl).toBe("http://127.0.0.1:28080/apis/ccompat/v7");
    expect(e.databaseUrl).toBe("postgresql://livetally:p%40ss@127.0.0.1:25432/livetally");
  });

  it("take explicit addresses, as Kubernetes sets them", () => {
    const e = endpoints({
      KAFKA_BOOTSTRAP_SERVERS: "kafka-0:9092, kafka-1:9092",
      SCHEMA_REGISTRY_URL: "http://registry:8080/apis/ccompat/v7",
      DATABASE_URL: "postgresql://app@db:5432/livetally",
    });
    expect(e.kafkaBrokers).toEqual(["kafka-0:9092", "kafka-1:9092"]);
    expect(e.registryUrl).toBe("http://registry:8080/apis/ccompat/v7");
  });

  it("reject a database URL of the wrong kind", () => {
    expect(() => endpoints({ DATABASE_URL: "mysql://db/x" })).toThrow(
      /DATABASE_URL=mysql:\/\/db\/x: expected a postgresql:/,
    );
  });
});

describe("a service's environment on the local stack", () => {
  it("gets the stack's addresses, unless they are set already", () => {
    expect(localServiceEnv({ LIVETALLY_KAFKA_PORT: "30001", LOG_LEVEL: "debug" })).toMatchObject({
      KAFKA_BOOTSTRAP_SERVERS: "127.0.0.1:30001",
      SCHEMA_REGISTRY_URL: "http://127.0.0.1:28080/apis/ccompat/v7",
      DATABASE_URL: "postgresql://livetally:livetally@127.0.0.1:25432/livetally",
      LOG_LEVEL: "debug",
    });
    expect(localServiceEnv({ KAFKA_BOOTSTRAP_SERVERS: "kafka:9092" }).KAFKA_BOOTSTRAP_SERVERS).toBe(
      "kafka:9092",
    );
  });
});
