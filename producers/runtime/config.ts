import { existsSync } from "node:fs";
import { endpoints } from "../../local/endpoints.js";
import { ConfigError, EnvReader } from "../../local/settings.js";
import { logLevels, type LogLevel } from "./log.js";

/** Everything a livetally service reads from its environment, validated once at start-up. */
export interface ServiceConfig {
  readonly kafka: {
    readonly brokers: readonly string[];
    /** SCRAM-SHA-512 credentials, as Strimzi KafkaUsers issue them. */
    readonly sasl: { readonly username: string; readonly password: string } | undefined;
    /** A CA bundle to trust for a TLS listener; TLS is on exactly when this is set. */
    readonly sslCaFile: string | undefined;
  };
  readonly registryUrl: string;
  readonly databaseUrl: string;
  readonly httpPort: number;
  readonly logLevel: LogLevel;
  readonly electionSeed: number;
  /** Votes per second; 0 means as fast as the engines allow. */
  readonly votingRateLimit: number;
  /** The voting service's consumer group; one election, one group. */
  readonly votingConsumerGroup: string;
}

/**
 * Reads the configuration, collecting every bad value (including the endpoints') into one ConfigError
 * with a line per problem, so an operator fixes them all at once.
 */
export function serviceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const problems: string[] = [];
  const own: string[] = [];
  let ep: ReturnType<typeof endpoints> | undefined;
  try {
    ep = endpoints(env);
  } catch (e) {
    problems.push(...problemLines(e));
  }
  const r = new EnvReader(env);
  const httpPort = r.port("HTTP_PORT", 9464);
  const votingRateLimit = r.nonNegativeNumber("VOTING_RATE_LIMIT", 0);
  const seedRaw = r.string("ELECTION_SEED", "2026");
  const electionSeed = Number(seedRaw);
  if (!Number.isSafeInteger(electionSeed) || electionSeed < 0) {
    own.push(`ELECTION_SEED=${seedRaw}: expected a whole number of at least 0`);
  }
  const level = r.string("LOG_LEVEL", "info");
  if (!(logLevels as readonly string[]).includes(level)) {
    own.push(`LOG_LEVEL=${level}: expected one of ${logLevels.join(", ")}`);
  }
  const username = r.string("KAFKA_SASL_USERNAME", "");
  const password = r.string("KAFKA_SASL_PASSWORD", "");
  if ((username === "") !== (password === "")) {
    own.push("KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: set both or neither");
  }
  const sslCaFile = r.string("KAFKA_SSL_CA_FILE", "");
  if (sslCaFile !== "" && !existsSync(sslCaFile)) {
    own.push(`KAFKA_SSL_CA_FILE=${sslCaFile}: no such file`);
  }
  try {
    r.done("service");
  } catch (e) {
    problems.push(...problemLines(e));
  }
  problems.push(...own);
  if (problems.length > 0 || ep === undefined) {
    throw new ConfigError(`invalid service configuration:\n  ${problems.join("\n  ")}`);
  }
  return {
    kafka: {
      brokers: ep.kafkaBrokers,
      sasl: username === "" ? undefined : { username, password },
      sslCaFile: sslCaFile === "" ? undefined : sslCaFile,
    },
    registryUrl: ep.registryUrl,
    databaseUrl: ep.databaseUrl,
    httpPort,
    logLevel: level as LogLevel,
    electionSeed,
    votingRateLimit,
    votingConsumerGroup: r.string("VOTING_CONSUMER_GROUP", "livetally-voting"),
  };
}

/** The individual problems of an EnvReader error (its message lists them one per indented line). */
function problemLines(e: unknown): string[] {
  if (!(e instanceof Error)) return [String(e)];
  const lines = e.message
    .split("\n")
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  return lines.length > 0 ? lines : [e.message];
}
