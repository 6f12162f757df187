import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SQL_DIR } from "./job.js";

/** A JDBC sink declared in the SQL job: the PostgreSQL table it writes and its columns in order. */
export interface JdbcSink {
  readonly table: string;
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  readonly primaryKey: readonly string[];
}

interface Ddl {
  readonly body: string | undefined;
  readonly options: Readonly<Record<string, string>>;
  readonly like: string | undefined;
}

/** The `'key' = 'value'` pairs of a WITH clause. */
function withOptions(text: string): Record<string, string> {
  return Object.fromEntries(
    [...text.matchAll(/'([^']+)'\s*=\s*'([^']*)'/g)].map((m) => [m[1] ?? "", m[2] ?? ""]),
  );
}

/**
 * Reads every JDBC sink of a script: `CREATE TABLE name (columns) WITH (...) [LIKE template]`, whose
 * options are the template's (a `CREATE TEMPORARY TABLE template WITH (...)` without columns) with its
 * own over them.
 */
export function parseJdbcSinks(sql: string): JdbcSink[] {
  const tables = new Map<string, Ddl>();
  const statement =
    /CREATE (?:TEMPORARY )?TABLE\s+(\w+)\s*(?:\(([\s\S]*?)\)\s*)?WITH\s*\(([\s\S]*?)\)\s*(?:LIKE\s+(\w+))?\s*;/g;
  for (const m of sql.matchAll(statement)) {
    tables.set(m[1] ?? "", { body: m[2], options: withOptions(m[3] ?? ""), like: m[4] });
  }
  const optionsOf = (ddl: Ddl): Record<string, string> => {
    const template = ddl.like === undefined ? undefined : tables.get(ddl.like);
    if (ddl.like !== undefined && template === undefined) throw new Error(`LIKE ${ddl.like}: no such table`);
    return { ...(template ? optionsOf(template) : {}), ...ddl.options };
  };
  const sinks: JdbcSink[] = [];
  for (const [name, ddl] of tables) {
    const options = optionsOf(ddl);
    if (options.connector !== "jdbc" || ddl.body === undefined) continue;
    const table = options["table-name"];
    if (!table) throw new Error(`the JDBC sink ${name} has no 'table-name'`);
    const columns: Array<{ name: string; type: string }> = [];
    let primaryKey: string[] = [];
    for (const line of ddl.body.split("\n").map((l) => l.trim().replace(/,$/, ""))) {
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
