import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigResourceTypes, Partitioners } from "kafkajs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadMigrations, migrate, migrationProblem } from "../../schemas/migrate.js";
import { avroTypes, voterSchema } from "../../schemas/records.js";
import { valueSubject } from "../../schemas/topics.js";
import { unframe } from "../../schemas/wire.js";
import { registerElectorate } from "../../producers/registration/register.js";
import { preflight, PreflightError } from "../../producers/runtime/preflight.js";
import { RegistryError } from "../../producers/runtime/registry.js";
import { registerSchemas, schemaId, topicSchemas } from "../../producers/setup/setup.js";
import {
  ep,
  freshElection,
  kafka,
  newPool,
  readAll,
  recordCount,
  registry,
  testElection,
} from "./services-fixture.js";

const election = testElection("services-setup");
const { names } = election;
const { topics } = names;
const allTopics = Object.values(topics);
const pool = newPool(names);

beforeAll(async () => {
  await freshElection(election);
});

afterAll(async () => {
  await pool.end();
});

describe("migration runner", () => {
  /** A schema of its own, so these tests never touch the election's tables. */
  async function scratchClient(): Promise<{ client: pg.Client; schema: string }> {
    const schema = `svc_migrate_${randomUUID().replaceAll("-", "")}`;
    await pool.query(`CREATE SCHEMA ${schema}`);
    const client = new pg.Client({ connectionString: ep.databaseUrl, options: `-c search_path=${schema}` });
    await client.connect();
    return { client, schema };
  }

  it("has applied every migration once, and a second run applies nothing", async () => {
    const client = await pool.connect();
    try {
      const again = await migrate(client, names.databaseSchema);
      expect(again.applied).toEqual([]);
      expect(again.alreadyApplied).toBe(loadMigrations().length);
      expect(await migrationProblem(client)).toBeUndefined();
      const { rows } = await client.query<{ version: number; checksum: string }>(
        "SELECT version, checksum FROM schema_migrations ORDER BY version",
      );
      expect(rows).toEqual(loadMigrations().map((m) => ({ version: m.version, checksum: m.checksum })));
    } finally {
      client.release();
    }
  });

  it("serialises concurrent runners and refuses a migration changed after it was applied", async () => {
    const dir = mkdtempSync(join(tmpdir(), "svc-migrations-"));
    const a = await scratchClient();
    const b = new pg.Client({ connectionString: ep.databaseUrl, options: `-c search_path=${a.schema}` });
    await b.connect();
    try {
      writeFileSync(join(dir, "001_first.sql"), "CREATE TABLE ballots (id int PRIMARY KEY);");
      writeFileSync(join(dir, "002_second.sql"), "ALTER TABLE ballots ADD COLUMN box text;");
      const results = await Promise.all([
        migrate(a.client, a.schema, loadMigrations(dir)),
        migrate(b, a.schema, loadMigrations(dir)),
      ]);
      // Without the lock both would try to create the table and one would fail.
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 2]);

      writeFileSync(join(dir, "002_second.sql"), "ALTER TABLE ballots ADD COLUMN box varchar;");
      await expect(migrate(a.client, a.schema, loadMigrations(dir))).rejects.toThrow(
        /migration 2_second.sql changed after it was applied/,
      );
      expect(await migrationProblem(a.client, loadMigrations(dir))).toMatch(/changed after it was applied/);

      writeFileSync(join(dir, "002_second.sql"), "ALTER TABLE ballots ADD COLUMN box text;");
      writeFileSync(join(dir, "003_broken.sql"), "CREATE TABLE later (id int); SELECT no_such_function();");
      await expect(migrate(a.client, a.schema, loadMigrations(dir))).rejects.toThrow(
        /migration 3_broken.sql failed/,
      );
      // The failed migration left nothing behind: its transaction rolled back whole.
      const { rows } = await a.client.query("SELECT to_regclass('later') IS NULL AS absent");
      expect(rows[0]).toEqual({ absent: true });
      expect(await migrationProblem(a.client, loadMigrations(dir))).toMatch(
        /migrations not applied: 3_broken/,
      );
    } finally {
      await b.end();
      await a.client.end();
      await pool.query(`DROP SCHEMA ${a.schema} CASCADE`);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("setup", () => {
  it("creates every topic of the election with the partitions and configs of schemas/topics.ts", async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: allTopics.map((t) => t.name) });
      for (const t of allTopics) {
        expect(metadata.topics.find((m) => m.name === t.name)?.partitions.length, t.name).toBe(t.partitions);
      }
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: allTopics.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name })),
      });
      for (const t of allTopics) {
        const entries = described.resources.find((r) => r.resourceName === t.name)?.configEntries ?? [];
        for (const [name, value] of Object.entries(t.config)) {
          expect(entries.find((e) => e.configName === name)?.configValue, `${t.name} ${name}`).toBe(value);
        }
      }
    } finally {
      await admin.disconnect();
    }
  });

  it("registers each topic's value schema under BACKWARD compatibility, idempotently", async () => {
    const entries = Object.values(topicSchemas(names));
    const first = await registerSchemas(registry, entries);
    expect(await registerSchemas(registry, entries)).toEqual(first);
    for (const { topic, schema } of entries) {
      expect(await registry.compatibility(valueSubject(topic))).toBe("BACKWARD");
      expect(await registry.lookup(valueSubject(topic), schema)).toBe(first[valueSubject(topic)]);
    }
  });

  it("accepts a backward-compatible evolution and rejects an incompatible one", async () => {
    const topic = { ...topics.voters, name: `services-evolution-${randomUUID()}` };
    await registerSchemas(registry, [{ topic, schema: voterSchema }]);
    const subject = valueSubject(topic);
    // Allowed: a new field with a default; readers of v2 still read every v1 record.
    const withTurnoutFlag = {
      ...voterSchema,
      fields: [...voterSchema.fields, { name: "postal_vote", type: "boolean", default: false }],
    };
    const v2 = await registry.register(subject, withTurnoutFlag);
    expect(v2).toBeGreaterThan(0);
    // Rejected: a new field without a default cannot be read from v1 and v2 records.
    const withRequiredField = {
      ...withTurnoutFlag,
      fields: [...withTurnoutFlag.fields, { name: "polling_station", type: "string" }],
    };
    const rejected = await registry.register(subject, withRequiredField).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(RegistryError);
    expect((rejected as RegistryError).status).toBe(409);
  });

  it("lets a service refuse to start, naming what setup has not done", async () => {
    const missing = { ...topics.votes, name: `services-missing-${randomUUID()}` };
    const error = await preflight(pool, kafka, registry, {
      topics: [topics.voters, missing],
      schemas: { ghost: { topic: missing, schema: voterSchema } },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreflightError);
    expect((error as Error).message).toContain(
      `kafka: missing topics ${missing.name} (run the setup command)`,
    );
    expect((error as Error).message).toContain(
      `schema registry: ${missing.name}-value lacks this service's schema`,
    );
  });
});

describe("registration", () => {
  it("registers an electorate once: a second run with the same seed adds nothing", async () => {
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const ids = {
      voter: (await registry.lookup(valueSubject(topics.voters), voterSchema)) ?? 0,
      candidate: (await schemaId(registry, names, "candidate")) ?? 0,
    };
    const plan = {
      election: election.definition,
      seed: 31,
      voters: 3_000,
      topics: { voters: topics.voters.name, candidates: topics.candidates.name },
      batchSize: 1_000,
    };
    try {
      const first = await registerElectorate(pool, producer, ids, plan);
      expect(first).toMatchObject({ candidatesAdded: 4, votersAdded: 3_000, votersProduced: 3_000 });
      const second = await registerElectorate(pool, producer, ids, plan);
      expect(second).toMatchObject({
        candidatesAdded: 0,
        votersAdded: 0,
        votersAlreadyRegistered: 3_000,
        votersProduced: 0,
      });
      // A larger electorate of the same seed adds only the voters beyond the first run's.
      const larger = await registerElectorate(pool, producer, ids, { ...plan, voters: 3_500 });
      expect(larger).toMatchObject({ votersAdded: 500, votersProduced: 500 });
      // A run that crashed after writing batches but before checkpointing them writes them again:
      // COPY meets the registered voters, and the batch is inserted leaving them alone.
      await pool.query("UPDATE registration_progress SET voters_published = 1000 WHERE seed = 31");
      const resumed = await registerElectorate(pool, producer, ids, plan);
      expect(resumed).toMatchObject({
        votersAdded: 0,
        votersAlreadyRegistered: 1_000,
        votersProduced: 2_000,
      });
    } finally {
      await producer.disconnect();
    }
    const { rows } = await pool.query<{ n: string }>("SELECT count(*) AS n FROM voters");
    expect(Number(rows[0]?.n)).toBe(3_500);
    // The resumed batches are in the topic twice; consumers keep each voter's first record.
    expect(await recordCount(topics.voters.name)).toBe(5_500);
    expect(await recordCount(topics.candidates.name)).toBe(4);

    const records = await readAll(topics.candidates.name);
    const decoded = records.map((r) => {
      const parts = unframe(r.value);
      if (!parts.ok) throw new Error("candidate record not in the wire format");
      return avroTypes.candidate.fromBuffer(parts.body);
    });
    expect(decoded.map((c) => c.candidate_id).sort()).toEqual(
      election.definition.candidates.map((c) => c.candidate_id).sort(),
    );
  });
});
