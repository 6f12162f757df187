import { serviceConfig } from "../runtime/config.js";
import { openConnections } from "../runtime/connections.js";
import { createLogger, type Logger } from "../runtime/log.js";
import { runMain } from "../runtime/main.js";
import { applyMigrations, createTopics, registerSchemas } from "./setup.js";

/**
 * Prepares the engines for the election services: topics (unless --no-topics, as in Kubernetes where
 * Strimzi KafkaTopics own them), schemas under BACKWARD compatibility, migrations. Idempotent.
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
  try {
    if (argv.includes("--no-topics")) {
      log.info("topics skipped (--no-topics)");
    } else {
      const t = await createTopics(kafka);
      log.info("topics ready", { created: t.created, existing: t.existing });
    }
    const ids = await registerSchemas(registry);
    log.info("schemas registered", { compatibility: "BACKWARD", ids });
    const m = await applyMigrations(pool);
    log.info("migrations applied", {
      applied: m.applied.map((x) => `${x.version}_${x.name}`),
      alreadyApplied: m.alreadyApplied,
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
