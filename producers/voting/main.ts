import { electionDefinition } from "../election/definition.js";
import { serviceConfig } from "../runtime/config.js";
import { startHttp } from "../runtime/http.js";
import { createLogger, type Logger } from "../runtime/log.js";
import { runMain } from "../runtime/main.js";
import { createMetrics } from "../runtime/metrics.js";
import { VotingService } from "./service.js";

let log: Logger | undefined;

async function main(): Promise<number> {
  const config = serviceConfig();
  const logger = createLogger("voting", config.logLevel);
  log = logger;
  const metrics = createMetrics(config.names.election);
  const service = new VotingService({
    config,
    election: electionDefinition(config.election),
    log: logger,
    metrics,
  });
  const http = await startHttp(config.httpPort, service, metrics.registry);
  await service.start();
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string): void => {
      logger.info("stopping: finishing the chunk in hand", { signal });
      service.stop().then(resolve, (e: unknown) => {
        logger.error("stopping failed", { error: e });
        resolve();
      });
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
  http.close();
  logger.info("stopped");
  return 0;
}

runMain("voting", main, () => log);
