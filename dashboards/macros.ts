/**
 * What Grafana does to a PostgreSQL panel's SQL before it reaches the database, so that tests can run
 * exactly that. Template variables are interpolated first (by the frontend), then the datasource's
 * macros are expanded (by the backend), as Grafana's PostgreSQL docs and its postgres macro engine
 * (pkg/tsdb/grafana-postgresql-datasource/macros.go) describe.
 */
export interface QueryContext {
  readonly from: Date;
  readonly to: Date;
  /** Each template variable's selected values; "All" is every value of the variable's query. */
  readonly variables: Readonly<Record<string, readonly string[]>>;
}

/** Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros, none at all if zero. */
export function rfc3339Nano(date: Date): string {
  return date.toISOString().replace(/\.(\d*?)0*Z$/, (_, digits: string) => (digits ? `.${digits}Z` : "Z"));
}

const quoteSql = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * Grafana's variable formats (`${var:format}`). With no format, a SQL datasource quotes each value
 * as a SQL string and joins them with commas, which is what `IN (...)` needs.
 */
const formats: Record<string, (values: readonly string[]) => string> = {
  sqlstring: (values) => values.map(quoteSql).join(","),
  csv: (values) => values.join(","),
  raw: (values) => values.join(","),
  pipe: (values) => values.join("|"),
  singlequote: (values) => values.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(","),
  doublequote: (values) => values.map((v) => `"${v.replace(/"/g, '\\"')}"`).join(","),
};

export function interpolateVariables(sql: string, variables: QueryContext["variables"]): string {
  const value = (name: string, format = "sqlstring") => {
    if (name.startsWith("__")) return undefined; // macros and Grafana's globals are not variables
    const values = variables[name];
    if (values === undefined) throw new Error(`unknown template variable $${name}`);
    if (values.length === 0) throw new Error(`template variable $${name} has no value`);
    const formatter = formats[format];
    if (!formatter) throw new Error(`unsupported variable format ${format} of $${name}`);
    return formatter(values);
  };
  return sql
    .replace(
      /\$\{(\w+)(?::(\w+))?\}/g,
      (whole, name: string, format?: string) => value(name, format) ?? whole,
    )
    .replace(
      /\[\[(\w+)(?::(\w+))?\]\]/g,
      (whole, name: string, format?: string) => value(name, format) ?? whole,
    )
    .replace(/\$(\w+)\b(?!\s*\()/g, (whole, name: string) => value(name) ?? whole);
}

/** Grafana intervals: a number and a unit of s, m, h or d. */
export function intervalSeconds(interval: string): number {
  const match = /^'?(\d+)(ms|s|m|h|d)'?$/.exec(interval.trim());
  if (!match?.[1] || !match[2]) throw new Error(`bad interval ${interval}`);
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "ms" | "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

export function expandMacros(sql: string, ctx: Pick<QueryContext, "from" | "to">): string {
  const from = rfc3339Nano(ctx.from);
  const to = rfc3339Nano(ctx.to);
  const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
  const timeGroup = (args: string[]) => {
    const [column, interval] = args;
    if (!column || !interval) throw new Error("$__timeGroup needs a column and an interval");
    const seconds = intervalSeconds(interval);
    return `floor(extract(epoch from ${column})/${seconds})*${seconds}`;
  };
  const column = (name: string, args: string[]) => {
    if (!args[0]) throw new Error(`missing time column argument for macro ${name}`);
    return args[0];
  };
  return sql.replace(/\$(__\w+)\(([^)]*)\)/g, (_, name: string, rawArgs: string) => {
    const args = rawArgs
      .split(",")
      .map((a) => a.trim())
      .filter((a) => a !== "");
    switch (name) {
      case "__time":
        return `${column(name, args)} AS "time"`;
      case "__timeEpoch":
        return `extract(epoch from ${column(name, args)}) as "time"`;
      case "__timeFilter":
        return `${column(name, args)} BETWEEN '${from}' AND '${to}'`;
      case "__timeFrom":
        return `'${from}'`;
      case "__timeTo":
        return `'${to}'`;
      case "__timeGroup":
        return timeGroup(args);
      case "__timeGroupAlias":
        return `${timeGroup(args)} AS "time"`;
      case "__unixEpochFilter":
        return `${column(name, args)} >= ${epoch(ctx.from)} AND ${column(name, args)} <= ${epoch(ctx.to)}`;
      case "__unixEpochFrom":
        return String(epoch(ctx.from));
      case "__unixEpochTo":
        return String(epoch(ctx.to));
      default:
        throw new Error(`unsupported macro $${name}`);
    }
  });
}

/** A panel's SQL as PostgreSQL receives it from Grafana. */
export const renderSql = (sql: string, ctx: QueryContext): string =>
  expandMacros(interpolateVariables(sql, ctx.variables), ctx);
