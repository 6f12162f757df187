import { describe, expect, it } from "vitest";
import { isOutage, Patience } from "./patience.js";

const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:25432"), { code: "ECONNREFUSED" });

describe("outages", () => {
  it("are refused and reset connections, servers shutting down or starting, and kafkajs's own", () => {
    expect(isOutage(refused)).toBe(true);
    expect(isOutage(Object.assign(new Error("terminating connection"), { code: "57P01" }))).toBe(true);
    expect(isOutage(new TypeError("fetch failed", { cause: refused }))).toBe(true);
    expect(isOutage(Object.assign(new Error("x"), { name: "KafkaJSGroupCoordinatorNotFound" }))).toBe(true);
    expect(isOutage(Object.assign(new Error("Not a coordinator"), { retriable: true }))).toBe(true);
    expect(isOutage(Object.assign(new Error("Flink REST /jobs/overview: 503"), { status: 503 }))).toBe(true);
  });

  it("are not mistakes that asking again will not mend", () => {
    expect(isOutage(Object.assign(new Error('relation "votez" does not exist'), { code: "42P01" }))).toBe(
      false,
    );
    expect(isOutage(new RangeError("bad index"))).toBe(false);
    expect(isOutage(Object.assign(new Error("Flink REST /jobs/x: 404"), { status: 404 }))).toBe(false);
    expect(isOutage(undefined)).toBe(false);
  });
});

describe("patience", () => {
  it("waits an outage out, saying so once and once that it is over", async () => {
    const said: string[] = [];
    let calls = 0;
    const result = await new Patience((line) => said.push(line)).of("postgres", async () => {
      calls++;
      if (calls < 3) throw refused;
      return "answer";
    });
    expect(result).toBe("answer");
    expect(said).toHaveLength(2);
    expect(said[0]).toBe("waiting for postgres: connect ECONNREFUSED 127.0.0.1:25432");
    expect(said[1]).toMatch(/^postgres is back after \d+\.\d s$/);
  });

  it("does not wait out a mistake", async () => {
    const mistake = new SyntaxError("no");
    await expect(new Patience(() => undefined).of("postgres", () => Promise.reject(mistake))).rejects.toBe(
      mistake,
    );
  });
});
