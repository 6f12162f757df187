import { rmSync } from "node:fs";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { markClosed } from "../elections.js";
import { endpoints } from "../endpoints.js";
import { stackContext } from "../stack.js";
import { cancelTallyJobs, checkpointDir } from "../tally-job.js";
import { SchemaRegistryClient } from "../../producers/runtime/registry.js";
import { prepareElection, type Preparation } from "../../producers/setup/setup.js";
import { removeElectionData, type Removal } from "../../producers/setup/removal.js";
import { electionNames, type ElectionNames } from "../../schemas/election/names.js";

/** The local stack's engines, opened for one election's setup or removal. */
async function withEngines<T>(
  names: ElectionNames,
  work: (kafka: Kafka, registry: SchemaRegistryClient, db: pg.Pool) => Promise<T>,
): Promise<T> {
  const ep = endpoints();
  const kafka = new Kafka({
    clientId: "election-admin",
    brokers: [...ep.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });
  const db = new pg.Pool({
    connectionString: ep.databaseUrl,
    max: 1,
    options: `-c search_path=${names.databaseSchema}`,
  });
  try {
    return await work(kafka, new SchemaRegistryClient(ep.registryUrl), db);
  } finally {
    await db.end();
  }
}

/**
 * Removes one election from the local stack: its tally job and checkpoints, its open state, then its
 * groups, topics, subjects and database schema. Every other election is left as it is.
 */
export async function removeElection(election: string): Promise<Removal> {
  const ctx = stackContext();
  const names = electionNames(election);
  await cancelTallyJobs(election);
  const removal = await withEngines(names, (kafka, registry, db) =>
    removeElectionData(kafka, registry, db, names),
  );
  markClosed(ctx.settings, election);
  rmSync(checkpointDir(ctx, election), { recursive: true, force: true });
  return removal;
}

/** An election that starts from nothing: whatever it held removed, then its topics, schemas and tables. */
export async function resetElection(election: string): Promise<Preparation> {
  await removeElection(election);
  const names = electionNames(election);
  return withEngines(names, (kafka, registry, db) => prepareElection(kafka, registry, db, names));
}
