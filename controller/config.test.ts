import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { controllerConfig } from "./config.js";

const dir = mkdtempSync(join(tmpdir(), "livetally-controller-config-"));
const valid = {
  WATCH_NAMESPACE: "livetally",
  PLATFORM_DIR: dir,
  KAFKA_BOOTSTRAP_SERVERS: "livetally-kafka-bootstrap:9092",
  SCHEMA_REGISTRY_URL: "http://livetally-registry:8080/apis/ccompat/v7",
  DATABASE_URL: "postgresql://livetally_controller@livetally-pg-rw:5432/livetally",
  OWNER_DATABASE_URL: "postgresql://livetally:secret@livetally-pg-rw:5432/livetally",
};

describe("the controller's configuration", () => {
  it("has client-go's lease timings and a five-second status refresh by default", () => {
    const c = controllerConfig({ ...valid, POD_NAME: "livetally-controller-abc" });
    expect(c.identity).toBe("livetally-controller-abc");
    expect(c.lease).toEqual({
      name: "livetally-controller",
      durationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
    });
    expect(c.observeIntervalMs).toBe(5_000);
    expect(c.kubeconfig).toBeUndefined();
  });

  it("puts the password of a file into the read-only login's URL, never into the environment", () => {
    const password = join(dir, "password");
    writeFileSync(password, "s3cr:t@\n");
    const c = controllerConfig({ ...valid, DATABASE_PASSWORD_FILE: password });
    expect(new URL(c.databaseUrl).password).toBe(encodeURIComponent("s3cr:t@"));
    expect(new URL(c.databaseUrl).username).toBe("livetally_controller");
  });

  it("names every bad value at once", () => {
    expect(() =>
      controllerConfig({
        ...valid,
        WATCH_NAMESPACE: "Live_Tally",
        PLATFORM_DIR: "/nonexistent",
        KUBECONFIG: "/nonexistent/kubeconfig",
        LEASE_DURATION_SECONDS: "5",
        LEASE_RENEW_DEADLINE_SECONDS: "10",
        OWNER_DATABASE_URL: "",
      }),
    ).toThrow(
      new RegExp(
        [
          "WATCH_NAMESPACE=Live_Tally: expected a namespace name",
          "KUBECONFIG=/nonexistent/kubeconfig: no such file",
          "PLATFORM_DIR=/nonexistent: no such folder",
          "OWNER_DATABASE_URL \\(or OWNER_DATABASE_URL_FILE\\): not set",
          "LEASE_RENEW_DEADLINE_SECONDS: must be less than LEASE_DURATION_SECONDS",
        ].join("[\\s\\S]*"),
      ),
    );
  });
});
