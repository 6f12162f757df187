import { serviceConfig } from "../runtime/config.js";
import { openConnections } from "../runtime/connections.js";
import { createLogger, type Logger } from "../runtime/log.js";
import { runMain } from "../runtime/main.js";
import { prepareElection } from "./setup.js";

/**
 * Prepares the engines for an election's services: its topics (unless --no-topics, as in Kubernetes
 * where Strimzi KafkaTopics own them), its schemas under BACKWARD compatibility, its database schema
 * migrated. Idempotent, and blind to every other election.
 */
let log: Logger | undefined;

async function main(argv: readonly string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== "--no-topics");
  if (unknown.length > 0) {
    console.error(`setup: unknown argument ${unknown.join(" ")}\nusage: setup [--no-topics]`);
    return 2;
  }
  const config = serviceConfig();
  log = createLogger("setup", config.logLevel);
  const { pool, kafka, registry } = openConnections("livetally-setup", config, log, 1);
  const { names } = config;
  try {
    const withTopics = !argv.includes("--no-topics");
    const done = await prepareElection(kafka, registry, pool, names, { topics: withTopics });
    if (done.topics === undefined) log.info("topics skipped (--no-topics)");
    else
      log.info("topics ready", {
        election: names.election,
        created: done.topics.created,
        existing: done.topics.existing,
      });
    log.info("schemas registered", {
      election: names.election,
      compatibility: "BACKWARD",
      ids: done.schemaIds,
    });
    log.info("migrations applied", {
      schema: names.databaseSchema,
      applied: done.migrations.applied.map((x) => `${x.version}_${x.name}`),
      alreadyApplied: done.migrations.alreadyApplied,
    });
    return 0;
  } finally {
    await pool.end();
  }
}

runMain(
  "setup",
  () => main(process.argv.slice(2)),
  () => log,
);
