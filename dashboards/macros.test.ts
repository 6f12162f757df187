import { describe, expect, it } from "vitest";
import { expandMacros, interpolateVariables, intervalSeconds, renderSql, rfc3339Nano } from "./macros.js";

const from = new Date("2026-11-29T15:00:00.000Z");
const to = new Date("2026-11-29T16:00:00.250Z");

describe("Grafana's PostgreSQL macros", () => {
  it("expand the time filter and range as RFC 3339 in UTC", () => {
    expect(expandMacros("WHERE $__timeFilter(cast_at)", { from, to })).toBe(
      "WHERE cast_at BETWEEN '2026-11-29T15:00:00Z' AND '2026-11-29T16:00:00.25Z'",
    );
    expect(expandMacros("$__timeFrom() .. $__timeTo()", { from, to })).toBe(
      "'2026-11-29T15:00:00Z' .. '2026-11-29T16:00:00.25Z'",
    );
  });

  it("group time into buckets of the interval, aliased as time", () => {
    expect(expandMacros("SELECT $__timeGroupAlias(minute_start, '1m'), 1", { from, to })).toBe(
      `SELECT floor(extract(epoch from minute_start)/60)*60 AS "time", 1`,
    );
    expect(expandMacros("GROUP BY $__timeGroup(t,'5m')", { from, to })).toBe(
      "GROUP BY floor(extract(epoch from t)/300)*300",
    );
    expect(expandMacros("$__time(t), $__timeEpoch(t)", { from, to })).toBe(
      `t AS "time", extract(epoch from t) as "time"`,
    );
  });

  it("expand the Unix epoch forms", () => {
    expect(expandMacros("$__unixEpochFilter(s) $__unixEpochFrom() $__unixEpochTo()", { from, to })).toBe(
      "s >= 1795964400 AND s <= 1795968000 1795964400 1795968000",
    );
  });

  it("refuse a macro they do not know rather than pass it to PostgreSQL", () => {
    expect(() => expandMacros("$__timeShift(t)", { from, to })).toThrow(/unsupported macro/);
    expect(() => expandMacros("$__timeFilter()", { from, to })).toThrow(/missing time column/);
  });

  it("format time like Go's RFC3339Nano and parse Grafana intervals", () => {
    expect(rfc3339Nano(new Date("2026-01-02T03:04:05.120Z"))).toBe("2026-01-02T03:04:05.12Z");
    expect(intervalSeconds("'1m'")).toBe(60);
    expect(intervalSeconds("2h")).toBe(7200);
    expect(() => intervalSeconds("soon")).toThrow();
  });
});

describe("template variables", () => {
  const variables = { state: ["Hawke's Bay", "Texas"], seed: ["7"] };

  it("quote every value as a SQL string by default and with :sqlstring", () => {
    expect(interpolateVariables("state IN ($state)", variables)).toBe("state IN ('Hawke''s Bay','Texas')");
    expect(interpolateVariables("state IN (${state:sqlstring})", variables)).toBe(
      "state IN ('Hawke''s Bay','Texas')",
    );
    expect(interpolateVariables("[[state]]", variables)).toBe("'Hawke''s Bay','Texas'");
  });

  it("honour the other formats and refuse unknown variables", () => {
    expect(interpolateVariables("${state:csv}|${state:pipe}|${seed:raw}", variables)).toBe(
      "Hawke's Bay,Texas|Hawke's Bay|Texas|7",
    );
    expect(() => interpolateVariables("$party", variables)).toThrow(/unknown template variable/);
    expect(() => interpolateVariables("${state:json}", variables)).toThrow(/unsupported variable format/);
  });

  it("put a raw value in as it is: a schema qualifying a table", () => {
    expect(
      interpolateVariables("FROM ${election:raw}.tally_by_party", { election: ["election_city_council"] }),
    ).toBe("FROM election_city_council.tally_by_party");
  });

  it("are interpolated before the macros, which they leave alone", () => {
    expect(
      renderSql("SELECT $__timeGroupAlias(t,'1m') WHERE state IN (${state:sqlstring}) AND $__timeFilter(t)", {
        from,
        to,
        variables,
      }),
    ).toBe(
      `SELECT floor(extract(epoch from t)/60)*60 AS "time" WHERE state IN ('Hawke''s Bay','Texas') AND t BETWEEN '2026-11-29T15:00:00Z' AND '2026-11-29T16:00:00.25Z'`,
    );
  });
});
