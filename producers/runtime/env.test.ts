import { describe, expect, it } from "vitest";
import { ConfigError, EnvReader } from "./env.js";

describe("EnvReader", () => {
  it("reads whole numbers, 0 included, and names anything else", () => {
    const env = new EnvReader({ NONE: "0", SOME: "50000", HALF: "1.5", MINUS: "-2" });
    expect([env.wholeNumber("NONE", 7), env.wholeNumber("SOME", 7), env.wholeNumber("UNSET", 7)]).toEqual([
      0, 50_000, 7,
    ]);
    env.wholeNumber("HALF", 7);
    env.wholeNumber("MINUS", 7);
    expect(() => env.done("bench")).toThrow(/HALF=1.5: expected a whole number[\s\S]*MINUS=-2/);
  });

  it("names a required value that is not set, and a bad list of addresses", () => {
    const env = new EnvReader({ BROKERS: "kafka-0:9092, kafka-1", URL: "ftp://x" });
    expect(env.hostPorts("MISSING")).toEqual([]);
    env.hostPorts("BROKERS");
    env.url("URL", undefined, ["http:"]);
    env.required("ALSO_MISSING", "a name");
    expect(() => env.done("test")).toThrow(
      new ConfigError(
        "invalid test configuration:\n" +
          "  MISSING: not set (expected host:port[,host:port...])\n" +
          "  BROKERS=kafka-0:9092, kafka-1: expected host:port[,host:port...]\n" +
          "  URL=ftp://x: expected a http: URL\n" +
          "  ALSO_MISSING: not set (expected a name)",
      ),
    );
  });

  it("reads a switch as 1/0 or true/false and names anything else", () => {
    const env = new EnvReader({ ON: "1", OFF: "false", YES: "yes" });
    expect([env.flag("ON", false), env.flag("OFF", true), env.flag("UNSET", true)]).toEqual([
      true,
      false,
      true,
    ]);
    env.flag("YES", false);
    expect(() => env.done("test")).toThrow(/YES=yes: expected 1 or 0 \(true or false\)/);
  });
});
