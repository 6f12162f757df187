import { describe, expect, it } from "vitest";
import { parseVersions, versions } from "./versions.js";

describe("versions.env", () => {
  it("pins the platform versions the brief names", () => {
    const v = versions();
    expect(v.STRIMZI_VERSION).toBe("1.2.0");
    expect(v.KAFKA_VERSION).toBe("4.3.1");
    expect(v.CLOUDNATIVEPG_VERSION).toBe("1.30.0");
    expect(v.FLINK_OPERATOR_VERSION).toBe("1.15.0");
    expect(v.APICURIO_VERSION).toBe("3.3.1");
  });

  it("names a missing key", () => {
    expect(() => parseVersions("KAFKA_VERSION=4.3.1\n")).toThrow(/missing STRIMZI_VERSION/);
  });

  it("rejects a line that is not KEY=VALUE", () => {
    expect(() => parseVersions("just words\n")).toThrow(/not KEY=VALUE: just words/);
  });
});
