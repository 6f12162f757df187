/**
 * The Grafana transformations the live panels use, typed, and what Grafana does with them to a frame,
 * so that tests can derive what a panel shows from its configuration alone (as macros.ts does for the
 * SQL panels). The behaviour follows Grafana's transformers (groupBy, organize, calculateField in
 * binary mode, sortBy in @grafana/data): a stream's rows arrive in the order the plugin read them.
 */

/** groupBy: one row per distinct combination of the `groupby` fields, the others reduced. */
export interface GroupByOptions {
  readonly fields: Readonly<Record<string, GroupByField>>;
}
/** A field to group by (no aggregations) or to reduce with each of its aggregations. */
export interface GroupByField {
  readonly operation: "groupby" | "aggregate";
  readonly aggregations: readonly Reducer[];
}
/** The reducers a live panel uses: a key's latest value, as a compacted topic's reader keeps it. */
export type Reducer = "last";

export interface OrganizeOptions {
  readonly excludeByName?: Readonly<Record<string, boolean>>;
  readonly renameByName?: Readonly<Record<string, string>>;
}

/** A field of the frame, by its name (Grafana's byName field matcher). */
export interface FieldByName {
  readonly matcher: { readonly id: "byName"; readonly options: string };
}

/** calculateField in binary mode: a new field `alias` = left operator right, row by row. */
export interface BinaryCalculationOptions {
  readonly mode: "binary";
  readonly binary: {
    readonly left: FieldByName;
    readonly operator: "+" | "-" | "*" | "/";
    readonly right: FieldByName;
  };
  readonly alias: string;
  /** Not a time series: no time field survives groupBy, and nothing is to be joined by time. */
  readonly timeSeries: false;
  readonly replaceFields: false;
}

export interface SortByOptions {
  readonly sort: readonly { readonly field: string; readonly desc: boolean }[];
}

export type Transformation =
  | { readonly id: "groupBy"; readonly options: GroupByOptions }
  | { readonly id: "organize"; readonly options: OrganizeOptions }
  | { readonly id: "calculateField"; readonly options: BinaryCalculationOptions }
  | { readonly id: "sortBy"; readonly options: SortByOptions };

export const byName = (name: string): FieldByName => ({ matcher: { id: "byName", options: name } });

/** A frame as rows of field values, in arrival order. */
export type Row = Readonly<Record<string, unknown>>;

/** The rows a panel shows after its transformations, in order. Unknown ids or options are refused. */
export function applyTransformations(rows: readonly Row[], transformations: readonly unknown[]): Row[] {
  return transformations.reduce<Row[]>((frame, t) => apply(frame, t as Transformation), [...rows]);
}

function apply(rows: Row[], t: Transformation): Row[] {
  switch (t.id) {
    case "groupBy":
      return groupBy(rows, t.options);
    case "organize":
      return rows.map((row) => {
        const out: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(row)) {
          if (t.options.excludeByName?.[name]) continue;
          out[t.options.renameByName?.[name] ?? name] = value;
        }
        return out;
      });
    case "calculateField":
      if (t.options.mode !== "binary")
        throw new Error(`unsupported calculateField mode ${String(t.options.mode)}`);
      return rows.map((row) => ({ ...row, [t.options.alias]: binary(row, t.options) }));
    case "sortBy":
      return [...rows].sort((a, b) => {
        for (const { field, desc } of t.options.sort) {
          const order = compare(a[field], b[field]);
          if (order !== 0) return desc ? -order : order;
        }
        return 0;
      });
    default:
      throw new Error(`unsupported transformation ${JSON.stringify(t)}`);
  }
}

/** Grafana names a reduced field `<field> (<reducer>)`; groups keep the order they first appeared in. */
function groupBy(rows: readonly Row[], options: GroupByOptions): Row[] {
  const entries = Object.entries(options.fields);
  const keys = entries.filter(([, f]) => f.operation === "groupby").map(([name]) => name);
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    // Grafana skips a row none of whose group-by fields is in the frame; every row here has them all.
    for (const k of keys) if (!(k in row)) throw new Error(`groupBy: a row has no field ${k}`);
    const key = JSON.stringify(keys.map((k) => row[k]));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] ?? {};
    const out: Record<string, unknown> = Object.fromEntries(keys.map((k) => [k, first[k]]));
    for (const [name, f] of entries) {
      if (f.operation !== "aggregate") continue;
      for (const reducer of f.aggregations) {
        if (reducer !== "last") throw new Error(`groupBy: unsupported reducer ${String(reducer)}`);
        out[`${name} (${reducer})`] = group.at(-1)?.[name];
      }
    }
    return out;
  });
}

function binary(row: Row, options: BinaryCalculationOptions): number {
  const operand = (f: FieldByName) => {
    const value = row[f.matcher.options];
    if (typeof value !== "number" && typeof value !== "bigint")
      throw new Error(`calculateField: ${f.matcher.options} is not a number in ${JSON.stringify(row)}`);
    return Number(value);
  };
  const [l, r] = [operand(options.binary.left), operand(options.binary.right)];
  switch (options.binary.operator) {
    case "+":
      return l + r;
    case "-":
      return l - r;
    case "*":
      return l * r;
    case "/":
      return l / r;
  }
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}
