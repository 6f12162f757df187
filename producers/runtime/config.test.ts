import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { serviceConfig } from "./config.js";

const cityCouncil = fileURLToPath(new URL("../../elections/city-council.yaml", import.meta.url));

describe("service configuration", () => {
  const engines = {
    KAFKA_BOOTSTRAP_SERVERS: "127.0.0.1:29092",
    SCHEMA_REGISTRY_URL: "http://127.0.0.1:28080/apis/ccompat/v7",
    DATABASE_URL: "postgresql://livetally:livetally@127.0.0.1:25432/livetally",
    ELECTION_FILE: cityCouncil,
  };

  it("has defaults for everything but the engines' addresses and the election", () => {
    const c = serviceConfig(engines);
    expect(c.httpPort).toBe(9464);
    expect(c.logLevel).toBe("info");
    expect(c.kafka.sasl).toBeUndefined();
  });

  it("runs the election its document declares, under the names it owns", () => {
    const c = serviceConfig(engines);
    expect(c.election.spec.candidates).toHaveLength(3);
    expect(c.names.election).toBe(c.election.metadata.name);
    expect(c.names.topics.votes.name).toBe(`${c.election.metadata.name}.votes`);
    const inline = serviceConfig({
      ...engines,
      ELECTION_FILE: "",
      ELECTION_DOCUMENT: JSON.stringify(c.election),
    });
    expect(inline.election).toEqual(c.election);
  });

  it("refuses a bad election document with each of its problems, and two documents at once", () => {
    const bad = JSON.stringify({
      apiVersion: "livetally.io/v1alpha1",
      kind: "Election",
      metadata: { name: "Bad_Name" },
    });
    expect(() => serviceConfig({ ...engines, ELECTION_FILE: "", ELECTION_DOCUMENT: bad })).toThrow(
      /ELECTION_DOCUMENT: metadata\.name/,
    );
    expect(() => serviceConfig({ ...engines, ELECTION_DOCUMENT: bad })).toThrow(
      "ELECTION_FILE and ELECTION_DOCUMENT: set one, not both",
    );
    expect(() => serviceConfig({ ...engines, ELECTION_FILE: "/nonexistent/election.yaml" })).toThrow(
      /ELECTION_FILE=\/nonexistent\/election.yaml: cannot read/,
    );
  });

  it("reads SCRAM credentials and the Kubernetes endpoints", () => {
    const c = serviceConfig({
      KAFKA_BOOTSTRAP_SERVERS: "kafka-0:9093,kafka-1:9093",
      KAFKA_SASL_USERNAME: "voting",
      KAFKA_SASL_PASSWORD: "secret",
      SCHEMA_REGISTRY_URL: "http://livetally-registry:8080/apis/ccompat/v7",
      DATABASE_URL: "postgresql://u:p@pg:5432/livetally",
      ELECTION_FILE: cityCouncil,
    });
    expect(c.kafka.brokers).toEqual(["kafka-0:9093", "kafka-1:9093"]);
    expect(c.kafka.sasl).toEqual({ username: "voting", password: "secret" });
  });

  it("requires the engines' addresses, naming each one missing", () => {
    expect(() => serviceConfig({})).toThrow(
      "invalid service configuration:\n" +
        "  KAFKA_BOOTSTRAP_SERVERS: not set (expected host:port[,host:port...])\n" +
        "  SCHEMA_REGISTRY_URL: not set (expected a http: or https: URL)\n" +
        "  DATABASE_URL (or DATABASE_URL_FILE): not set (expected a postgresql: or postgres: URL)\n" +
        "  ELECTION_FILE: not set (expected the path of an Election document, or ELECTION_DOCUMENT)",
    );
  });

  it("names every bad value in one message", () => {
    let message = "";
    try {
      serviceConfig({
        ...engines,
        HTTP_PORT: "http",
        LOG_LEVEL: "loud",
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
      "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: set both or neither",
      "KAFKA_SSL_CA_FILE=/nonexistent/ca.crt: no such file",
      "DATABASE_URL=mysql://x: expected a postgresql: or postgres: URL",
      "HTTP_PORT=http: expected a TCP port from 1 to 65535",
      "LOG_LEVEL=loud: expected one of debug, info, warn, error",
    ]);
  });

  describe("credentials from files, as Kubernetes mounts its Secrets", () => {
    const dir = mkdtempSync(join(tmpdir(), "livetally-config-"));
    const file = (name: string, content: string) => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    };
    const addresses = {
      KAFKA_BOOTSTRAP_SERVERS: engines.KAFKA_BOOTSTRAP_SERVERS,
      SCHEMA_REGISTRY_URL: engines.SCHEMA_REGISTRY_URL,
      ELECTION_FILE: engines.ELECTION_FILE,
    };

    it("reads DATABASE_URL_FILE and KAFKA_SASL_PASSWORD_FILE, trimmed", () => {
      const c = serviceConfig({
        ...addresses,
        DATABASE_URL_FILE: file("uri", "postgresql://u:p@pg:5432/livetally\n"),
        KAFKA_SASL_USERNAME: "voting",
        KAFKA_SASL_PASSWORD_FILE: file("password", "s3cret\n"),
      });
      expect(c.databaseUrl).toBe("postgresql://u:p@pg:5432/livetally");
      expect(c.kafka.sasl).toEqual({ username: "voting", password: "s3cret" });
    });

    it("names a missing or empty file, both forms set, and never prints a value read from a file", () => {
      let message = "";
      try {
        serviceConfig({
          ...engines,
          DATABASE_URL_FILE: file("mysql", "mysql://u:hunter2@db/x"),
          KAFKA_SASL_USERNAME: "voting",
          KAFKA_SASL_PASSWORD: "direct",
          KAFKA_SASL_PASSWORD_FILE: file("empty", "\n"),
        });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message.split("\n").map((l) => l.trim())).toEqual([
        "invalid service configuration:",
        "DATABASE_URL and DATABASE_URL_FILE: set one, not both",
        "KAFKA_SASL_PASSWORD and KAFKA_SASL_PASSWORD_FILE: set one, not both",
      ]);
      expect(() =>
        serviceConfig({ ...addresses, DATABASE_URL_FILE: file("mysql", "mysql://u:hunter2@db/x") }),
      ).toThrow(`DATABASE_URL (read from DATABASE_URL_FILE=${join(dir, "mysql")}): expected a postgresql:`);
      expect(() =>
        serviceConfig({ ...addresses, DATABASE_URL_FILE: file("mysql", "mysql://u:hunter2@db/x") }),
      ).not.toThrow(/hunter2/);
      expect(() =>
        serviceConfig({
          ...engines,
          KAFKA_SASL_USERNAME: "voting",
          KAFKA_SASL_PASSWORD_FILE: join(dir, "nonexistent"),
        }),
      ).toThrow(`KAFKA_SASL_PASSWORD_FILE=${join(dir, "nonexistent")}: cannot read it (ENOENT)`);
      expect(() =>
        serviceConfig({
          ...engines,
          KAFKA_SASL_USERNAME: "voting",
          KAFKA_SASL_PASSWORD_FILE: file("empty", " \n"),
        }),
      ).toThrow(`KAFKA_SASL_PASSWORD_FILE=${join(dir, "empty")}: the file is empty`);
    });
  });
});
