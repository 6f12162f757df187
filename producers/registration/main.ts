import { producerConfig } from "../runtime/producer.js";
import { candidateSchema, voterSchema } from "../../schemas/records.js";
import { electionDefinition } from "../election/definition.js";
import { serviceConfig } from "../runtime/config.js";
import { openConnections } from "../runtime/connections.js";
import { startHttp } from "../runtime/http.js";
import { createLogger, type Logger } from "../runtime/log.js";
import { runMain } from "../runtime/main.js";
import { createMetrics } from "../runtime/metrics.js";
import { preflight } from "../runtime/preflight.js";
import { ProgressBar } from "../runtime/progress-bar.js";
import { parseRegistrationArgs, UsageError } from "./args.js";
import { registerElectorate } from "./register.js";

let log: Logger | undefined;

async function main(argv: readonly string[]): Promise<number> {
  const config = serviceConfig();
  let args;
  try {
    args = parseRegistrationArgs(argv, config.election.spec.electorate.voters);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`registration: ${e.message}`);
    return 2;
  }
  log = createLogger("registration", config.logLevel);
  const metrics = createMetrics(config.names.election);
  const { pool, kafka, registry } = openConnections("livetally-registration", config, log);
  // A batch job: metrics are a convenience while it runs, so a busy port is no reason to fail.
  const http = await startHttp(
    config.httpPort,
    { live: () => true, ready: () => true },
    metrics.registry,
  ).catch((e: unknown) => {
    log?.warn("metrics endpoint not served", { port: config.httpPort, error: e });
    return undefined;
  });
  const producer = kafka.producer(producerConfig);
  const { topics, election } = config.names;
  const seed = config.election.spec.electorate.seed;
  try {
    const ids = await preflight(pool, kafka, registry, {
      topics: [topics.voters, topics.candidates],
      schemas: {
        voter: { topic: topics.voters, schema: voterSchema },
        candidate: { topic: topics.candidates, schema: candidateSchema },
      },
    });
    await producer.connect();
    log.info("registering", { election, voters: args.voters, seed });
    const bar = new ProgressBar("registration", args.voters, "voters");
    let counted = 0;
    const summary = await registerElectorate(
      pool,
      producer,
      ids,
      {
        election: electionDefinition(config.election),
        seed,
        voters: args.voters,
        topics: { voters: topics.voters.name, candidates: topics.candidates.name },
        batchSize: 2_000,
      },
      (done) => {
        bar.update(done);
        metrics.votersRegistered.inc(Math.max(0, done - counted));
        counted = done;
      },
    );
    bar.done();
    const rate = summary.millis > 0 ? Math.round((summary.votersProduced / summary.millis) * 1000) : 0;
    console.error(
      `registration: ${election}: ${args.voters} voters requested (seed ${seed}): ${summary.votersAdded} added, ` +
        `${summary.votersAlreadyRegistered} already registered, ${summary.votersProduced} produced to ${topics.voters.name}, ` +
        `${summary.candidatesAdded} candidates added, in ${(summary.millis / 1000).toFixed(1)}s (${rate} voters/s)`,
    );
    log.info("registration finished", { ...summary, election, seed });
    return 0;
  } finally {
    await producer.disconnect();
    await pool.end();
    http?.close();
  }
}

runMain(
  "registration",
  () => main(process.argv.slice(2)),
  () => log,
);
