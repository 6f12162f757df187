import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";

/**
 * The migration runner: applies schemas/migrations/NNN_name.sql in order, each in its own transaction,
 * and records version and checksum in schema_migrations. An advisory lock serialises concurrent
 * runners (two pods starting at once); a changed checksum of an applied file stops everything, because
 * the database no longer matches the code that describes it.
 */

export const migrationsDir = fileURLToPath(new URL("./migrations/", import.meta.url));

/** Arbitrary but fixed: every runner of livetally, whatever its election, contends for the same lock. */
const LOCK_KEY = 7_342_026_001;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export class MigrationError extends Error {
  override readonly name = "MigrationError";
}

export function loadMigrations(dir: string = migrationsDir): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((file) => {
      const match = /^(\d+)_([a-z0-9_]+)\.sql$/.exec(file);
      if (!match) throw new MigrationError(`${file}: expected a name such as 001_electorate.sql`);
      const sql = readFileSync(`${dir}/${file}`, "utf8");
      return {
        version: Number(match[1]),
        name: match[2] ?? "",
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
      };
    });
  const versions = new Set<number>();
  for (const m of migrations) {
    if (versions.has(m.version)) throw new MigrationError(`two migrations share version ${m.version}`);
    versions.add(m.version);
  }
  return migrations;
}

interface Applied {
  readonly version: number;
  readonly checksum: string;
}

async function appliedMigrations(client: pg.ClientBase): Promise<Applied[]> {
  const { rows } = await client.query<Applied>(
    "SELECT version, checksum FROM schema_migrations ORDER BY version",
  );
  return rows;
}

function checkApplied(migrations: readonly Migration[], applied: readonly Applied[]): void {
  for (const a of applied) {
    const m = migrations.find((x) => x.version === a.version);
    if (m === undefined) {
      throw new MigrationError(`migration ${a.version} is applied but its file is missing`);
    }
    if (m.checksum !== a.checksum) {
      throw new MigrationError(
        `migration ${a.version}_${m.name}.sql changed after it was applied (checksum ${a.checksum.slice(0, 12)} in the database, ${m.checksum.slice(0, 12)} on disk); add a new migration instead`,
      );
    }
  }
}

export interface MigrationResult {
  readonly applied: readonly Migration[];
  readonly alreadyApplied: number;
}

/**
 * Applies every pending migration to an election's schema (schemas/election/names.ts), creating it if
 * need be; safe to run any number of times and from several processes. The client's search_path is the
 * schema from then on, so the migrations' unqualified names land in it.
 */
export async function migrate(
  client: pg.ClientBase,
  schema: string,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<MigrationResult> {
  await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
    await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    integer PRIMARY KEY,
      name       text NOT NULL,
      checksum   text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const applied = await appliedMigrations(client);
    checkApplied(migrations, applied);
    const done = new Set(applied.map((a) => a.version));
    const pending = migrations.filter((m) => !done.has(m.version));
    for (const m of pending) {
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new MigrationError(
          `migration ${m.version}_${m.name}.sql failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    return { applied: pending, alreadyApplied: applied.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
  }
}

/**
 * What a service checks before it starts: every migration on disk is applied, unchanged, in the schema
 * its connection searches (its election's). Returns the problem in words, or undefined when current.
 */
export async function migrationProblem(
  client: pg.ClientBase,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<string | undefined> {
  const { rows } = await client.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  if (!rows[0]?.present) return "no migrations are applied (run the setup command)";
  const applied = await appliedMigrations(client);
  try {
    checkApplied(migrations, applied);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const done = new Set(applied.map((a) => a.version));
  const pending = migrations.filter((m) => !done.has(m.version));
  if (pending.length > 0) {
    return `migrations not applied: ${pending.map((m) => `${m.version}_${m.name}`).join(", ")} (run the setup command)`;
  }
  return undefined;
}
