import { existsSync } from "node:fs";
import { readElectionFile, readElectionFromEnv } from "../../schemas/election/load.js";
import { electionNames, type ElectionNames } from "../../schemas/election/names.js";
import type { Election } from "../../schemas/generated/election.js";
import { EnvReader } from "./env.js";
import { logLevels, type LogLevel } from "./log.js";

/** Everything a livetally service reads from its environment, validated once at start-up. */
export interface KafkaConnection {
  readonly brokers: readonly string[];
  /** SCRAM-SHA-512 credentials, as Strimzi KafkaUsers issue them. */
  readonly sasl: { readonly username: string; readonly password: string } | undefined;
  /** A CA bundle to trust for a TLS listener; TLS is on exactly when this is set. */
  readonly sslCaFile: string | undefined;
}

export interface ServiceConfig {
  readonly kafka: KafkaConnection;
  readonly registryUrl: string;
  readonly databaseUrl: string;
  readonly httpPort: number;
  readonly logLevel: LogLevel;
  /** The election this service runs, as its document declares it. */
  readonly election: Election;
  /** What the election owns: its topics, consumer groups and database schema. */
  readonly names: ElectionNames;
}

/**
 * Reads the configuration, collecting every bad or missing value into one ConfigError with a line per
 * problem, so an operator fixes them all at once. The engines' addresses have no defaults: Kubernetes
 * sets them, and so does whoever runs a service on the local stack (local/run-service.ts).
 * DATABASE_URL and KAFKA_SASL_PASSWORD may each come from the file that DATABASE_URL_FILE or
 * KAFKA_SASL_PASSWORD_FILE names instead.
 */
export function serviceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  // The credentials: Kubernetes mounts them as files (NAME_FILE); the local stack passes values.
  const r = new EnvReader(env, { fromFiles: ["DATABASE_URL", "KAFKA_SASL_PASSWORD"] });
  const kafka = readKafkaConfig(r);
  const registryUrl = r.url("SCHEMA_REGISTRY_URL", undefined, ["http:", "https:"]);
  const databaseUrl = r.url("DATABASE_URL", undefined, ["postgresql:", "postgres:"]);
  const httpPort = r.port("HTTP_PORT", 9464);
  const election = readElection(r, env);
  const logLevel = readLogLevel(r);
  r.done("service");
  return {
    kafka,
    registryUrl,
    databaseUrl,
    httpPort,
    logLevel,
    // Only reached with a sound document: r.done threw otherwise.
    election: election as Election,
    names: electionNames((election as Election).metadata.name),
  };
}

/** LOG_LEVEL, info unless set. */
export function readLogLevel(r: EnvReader): LogLevel {
  const level = r.string("LOG_LEVEL", "info");
  if (!(logLevels as readonly string[]).includes(level)) {
    r.problem(`LOG_LEVEL=${level}: expected one of ${logLevels.join(", ")}`);
    return "info";
  }
  return level as LogLevel;
}

/**
 * How a process reaches Kafka: KAFKA_BOOTSTRAP_SERVERS, SCRAM credentials (KAFKA_SASL_USERNAME and
 * KAFKA_SASL_PASSWORD, the reader given the latter from a file if it may) and KAFKA_SSL_CA_FILE.
 */
export function readKafkaConfig(r: EnvReader): KafkaConnection {
  const brokers = r.hostPorts("KAFKA_BOOTSTRAP_SERVERS");
  const username = r.string("KAFKA_SASL_USERNAME", "");
  const password = r.string("KAFKA_SASL_PASSWORD", "");
  if ((username === "") !== (password === "")) {
    r.problem("KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: set both or neither");
  }
  const sslCaFile = r.string("KAFKA_SSL_CA_FILE", "");
  if (sslCaFile !== "" && !existsSync(sslCaFile)) {
    r.problem(`KAFKA_SSL_CA_FILE=${sslCaFile}: no such file`);
  }
  return {
    brokers,
    sasl: username === "" ? undefined : { username, password },
    sslCaFile: sslCaFile === "" ? undefined : sslCaFile,
  };
}

/**
 * The election document, from the file ELECTION_FILE names (a copied example, a mounted ConfigMap) or
 * from ELECTION_DOCUMENT itself; every problem of a bad one becomes a configuration problem.
 */
export function readElection(r: EnvReader, env: NodeJS.ProcessEnv): Election | undefined {
  const file = r.string("ELECTION_FILE", "");
  const inline = r.string("ELECTION_DOCUMENT", "");
  if (file !== "" && inline !== "") {
    r.problem("ELECTION_FILE and ELECTION_DOCUMENT: set one, not both");
    return undefined;
  }
  if (file === "" && inline === "") {
    r.problem("ELECTION_FILE: not set (expected the path of an Election document, or ELECTION_DOCUMENT)");
    return undefined;
  }
  const origin = file !== "" ? `ELECTION_FILE=${file}` : "ELECTION_DOCUMENT";
  const result = file !== "" ? readElectionFile(file) : readElectionFromEnv("ELECTION_DOCUMENT", env);
  if (result.ok) return result.election;
  for (const problem of result.problems) r.problem(`${origin}: ${problem}`);
  return undefined;
}
