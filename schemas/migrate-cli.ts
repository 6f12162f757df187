import pg from "pg";
import { readElection } from "../producers/runtime/config.js";
import { EnvReader } from "../producers/runtime/env.js";
import { databaseSchema } from "./election/names.js";
import { migrate } from "./migrate.js";

/** Applies the migrations to the schema of the election ELECTION_FILE declares, in DATABASE_URL. */
const env = new EnvReader(process.env);
const databaseUrl = env.url("DATABASE_URL", undefined, ["postgresql:", "postgres:"]);
const election = readElection(env, process.env);
try {
  env.done("migrate");
} catch (e) {
  console.error(`migrate: ${(e as Error).message}`);
  process.exit(2);
}
const client = new pg.Client({ connectionString: databaseUrl });
try {
  await client.connect();
  const schema = databaseSchema(election?.metadata.name ?? "");
  const result = await migrate(client, schema);
  const names = result.applied.map((m) => `${m.version}_${m.name}`);
  console.log(
    `migrate: ${schema}: ${names.length} applied${names.length ? ` (${names.join(", ")})` : ""}, ${result.alreadyApplied} already applied`,
  );
} catch (e) {
  console.error(`migrate: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await client.end();
}
