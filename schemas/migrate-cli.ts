import pg from "pg";
import { EnvReader } from "../producers/runtime/env.js";
import { migrate } from "./migrate.js";

/** Applies the migrations to DATABASE_URL and says what it did. */
const env = new EnvReader(process.env);
const databaseUrl = env.url("DATABASE_URL", undefined, ["postgresql:", "postgres:"]);
try {
  env.done("migrate");
} catch (e) {
  console.error(`migrate: ${(e as Error).message}`);
  process.exit(2);
}
const client = new pg.Client({ connectionString: databaseUrl });
try {
  await client.connect();
  const result = await migrate(client);
  const names = result.applied.map((m) => `${m.version}_${m.name}`);
  console.log(
    `migrate: ${names.length} applied${names.length ? ` (${names.join(", ")})` : ""}, ${result.alreadyApplied} already applied`,
  );
} catch (e) {
  console.error(`migrate: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await client.end();
}
