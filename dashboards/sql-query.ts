import type { DataSourceRef } from "@grafana/grafana-foundation-sdk/common";
import type { Builder, Dataquery } from "@grafana/grafana-foundation-sdk/cog";
import { postgresDatasource } from "./datasources.js";

/**
 * A query of Grafana's PostgreSQL datasource in code mode. The SDK ships no builder for the SQL
 * datasources, so this is the custom query type its README describes.
 */
export interface SqlQuery {
  refId?: string;
  hide?: boolean;
  datasource?: DataSourceRef;
  rawSql: string;
  /** Grafana's SQL datasources: "table" for rows as they are, "time_series" for a `time` column. */
  format: "table" | "time_series";
  rawQuery: true;
  editorMode: "code";
  _implementsDataqueryVariant(): void;
}

/** A panel's SQL with the columns its visualization reads, in order. */
export interface PanelSql {
  readonly sql: string;
  readonly columns: readonly string[];
  readonly format: SqlQuery["format"];
}

export class SqlQueryBuilder implements Builder<Dataquery> {
  private readonly internal: SqlQuery;

  constructor(query: PanelSql) {
    this.internal = {
      datasource: postgresDatasource,
      rawSql: query.sql,
      format: query.format,
      rawQuery: true,
      editorMode: "code",
      _implementsDataqueryVariant() {},
    };
  }

  refId(refId: string): this {
    this.internal.refId = refId;
    return this;
  }

  build(): SqlQuery {
    return this.internal;
  }
}
