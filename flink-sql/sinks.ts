import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SQL_DIR } from "./job.js";

/** A JDBC sink declared in the SQL job: the PostgreSQL table it writes and its columns in order. */
export interface JdbcSink {
  readonly table: string;
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly primaryKey: readonly string[];
}

/** Reads every `CREATE TABLE ... WITH ('connector' = 'jdbc', 'table-name' = ...)` from a script. */
export function parseJdbcSinks(sql: string): JdbcSink[] {
  const sinks: JdbcSink[] = [];
  const statement = /CREATE TABLE\s+\w+\s*\(([\s\S]*?)\)\s*WITH\s*\(([\s\S]*?)\);/g;
  for (const match of sql.matchAll(statement)) {
    const [, body = "", options = ""] = match;
    if (!/'connector'\s*=\s*'jdbc'/.test(options)) continue;
    const table = /'table-name'\s*=\s*'([^']+)'/.exec(options)?.[1];
    if (!table) throw new Error(`a JDBC sink without 'table-name': ${match[0].slice(0, 80)}`);
    const columns: Array<{ name: string; type: string }> = [];
    let primaryKey: string[] = [];
    for (const line of body.split("\n").map((l) => l.trim().replace(/,$/, ""))) {
      if (line === "") continue;
      const pk = /^PRIMARY KEY \(([^)]+)\) NOT ENFORCED$/i.exec(line);
      if (pk?.[1]) {
        primaryKey = pk[1].split(",").map((c) => c.trim());
        continue;
      }
      const column = /^(\w+)\s+(.+?)(\s+NOT NULL)?$/i.exec(line);
      if (!column?.[1] || !column[2]) throw new Error(`cannot read column "${line}" of sink ${table}`);
      columns.push({ name: column[1], type: column[2].toUpperCase() });
    }
    sinks.push({ table, columns, primaryKey });
  }
  return sinks;
}

export function jobJdbcSinks(): JdbcSink[] {
  return parseJdbcSinks(readFileSync(join(SQL_DIR, "20-sinks.sql"), "utf8"));
}

/** The PostgreSQL types a Flink SQL type may be written to by the JDBC connector. */
export function postgresTypesFor(flinkType: string): readonly string[] {
  if (flinkType === "STRING") return ["text", "character varying"];
  if (flinkType === "BIGINT") return ["bigint"];
  if (flinkType === "INT") return ["integer"];
  if (/^DECIMAL\(\d+,\s*\d+\)$/.test(flinkType)) return ["numeric"];
  if (/^TIMESTAMP\(\d\)$/.test(flinkType)) return ["timestamp without time zone", "timestamp with time zone"];
  return [];
}
