import type { Kafka } from "kafkajs";
import type pg from "pg";
import { migrationProblem } from "../../schemas/migrate.js";
import { CommandError } from "./command-error.js";
import { valueSubject, type TopicSpec } from "../../schemas/topics.js";
import { missingTopics } from "./kafka.js";
import type { SchemaRegistryClient } from "./registry.js";

export class PreflightError extends CommandError {
  override readonly name = "PreflightError";
}

export interface Needs<K extends string> {
  readonly topics: readonly TopicSpec[];
  /** The schema each produced or consumed topic must have registered, by a name for the caller. */
  readonly schemas: Readonly<Record<K, { readonly topic: TopicSpec; readonly schema: object }>>;
}

/**
 * Checks that setup has run before a service starts: migrations applied, topics present, schemas
 * registered. Fails with one message naming everything missing; returns the schema ids otherwise.
 */
export async function preflight<K extends string>(
  pool: pg.Pool,
  kafka: Kafka,
  registry: SchemaRegistryClient,
  needs: Needs<K>,
): Promise<Record<K, number>> {
  const problems: string[] = [];
  const client = await pool.connect();
  try {
    const problem = await migrationProblem(client);
    if (problem !== undefined) problems.push(`database: ${problem}`);
  } finally {
    client.release();
  }
  const missing = await missingTopics(kafka, needs.topics);
  if (missing.length > 0)
    problems.push(`kafka: missing topics ${missing.join(", ")} (run the setup command)`);
  const ids = {} as Record<K, number>;
  for (const [key, { topic, schema }] of Object.entries(needs.schemas) as [K, Needs<K>["schemas"][K]][]) {
    const id = await registry.lookup(valueSubject(topic), schema);
    if (id === undefined) {
      problems.push(
        `schema registry: ${valueSubject(topic)} lacks this service's schema (run the setup command)`,
      );
    } else {
      ids[key] = id;
    }
  }
  if (problems.length > 0) throw new PreflightError(`not ready to start:\n  ${problems.join("\n  ")}`);
  return ids;
}
