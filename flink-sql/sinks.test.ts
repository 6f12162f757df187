import { describe, expect, it } from "vitest";
import { jobJdbcSinks, parseJdbcSinks, postgresTypesFor } from "./sinks.js";

describe("JDBC sinks of the SQL job", () => {
  it("takes a sink's options from the template it is LIKE, its own over them", () => {
    const sinks =
      parseJdbcSinks(`CREATE TEMPORARY TABLE result_table WITH ('connector' = 'jdbc', 'table-name' = 'x');
      CREATE TABLE a_sink (
        a STRING NOT NULL,
        PRIMARY KEY (a) NOT ENFORCED
      ) WITH ('table-name' = 'a') LIKE result_table;
      CREATE TEMPORARY TABLE topic_sink WITH ('connector' = 'upsert-kafka');
      CREATE TABLE b_sink (b STRING NOT NULL) WITH ('topic' = 'b') LIKE topic_sink;`);
    expect(sinks).toEqual([{ table: "a", columns: [{ name: "a", type: "STRING" }], primaryKey: ["a"] }]);
    expect(() => parseJdbcSinks("CREATE TABLE c (c INT) WITH ('x' = 'y') LIKE nowhere;")).toThrow(
      "LIKE nowhere: no such table",
    );
  });

  it("reads table, columns and primary key of a sink", () => {
    const [sink] = parseJdbcSinks(`CREATE TABLE t_sink (
        a STRING NOT NULL,
        b DECIMAL(6, 2) NOT NULL,
        PRIMARY KEY (a) NOT ENFORCED
      ) WITH ('connector' = 'jdbc', 'table-name' = 't');`);
    expect(sink).toEqual({
      table: "t",
      columns: [
        { name: "a", type: "STRING" },
        { name: "b", type: "DECIMAL(6, 2)" },
      ],
      primaryKey: ["a"],
    });
  });

  it("declares the seven result tables and the rejected records, each with a primary key and only types PostgreSQL takes", () => {
    const sinks = jobJdbcSinks();
    expect(sinks.map((s) => s.table).sort()).toEqual([
      "leader_by_state",
      "rejected_records",
      "tally_by_age_band",
      "tally_by_candidate",
      "tally_by_gender",
      "tally_by_party",
      "turnout_by_state",
      "votes_per_minute",
    ]);
    for (const sink of sinks) {
      expect(sink.primaryKey.length, sink.table).toBeGreaterThan(0);
      for (const column of sink.columns) expect(postgresTypesFor(column.type), column.type).not.toEqual([]);
    }
  });
});
