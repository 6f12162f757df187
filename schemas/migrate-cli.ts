import pg from "pg";
import { endpoints } from "../local/endpoints.js";
import { migrate } from "./migrate.js";

/** Applies the migrations to DATABASE_URL (the local stack by default) and says what it did. */
const client = new pg.Client({ connectionString: endpoints().databaseUrl });
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
