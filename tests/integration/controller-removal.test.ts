import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownedKinds } from "../../controller/desired.js";
import { loadElection, withOverrides } from "../../local/election/document.js";
import { resetElection } from "../../local/election/reset.js";
import { endpoints } from "../../local/endpoints.js";
import { pollUntil } from "../../producers/runtime/waiting.js";
import { electionNames } from "../../schemas/election/names.js";
import { valueSubject } from "../../schemas/topics.js";
import { repoRoot } from "../../versions.js";
import {
  applyElection,
  awaitElection,
  ControllerProcess,
  deleteElection,
  getElection,
  owned,
} from "./support/kubernetes.js";

/**
 * Deleting an Election: its finalizer holds it until the controller has removed its data (topics,
 * registry subjects, database schema), then the garbage collector takes what it owned; another
 * Election in the namespace keeps all of its own.
 */
const council = loadElection(join(repoRoot, "elections", "city-council.yaml"));
const gone = withOverrides(council, { name: "ctl-gone" });
const kept = withOverrides(council, { name: "ctl-kept" });

const ep = endpoints();
const kafka = new Kafka({
  clientId: "removal-test",
  brokers: [...ep.kafkaBrokers],
  logLevel: logLevel.NOTHING,
});
const admin = kafka.admin();
const db = new pg.Pool({ connectionString: ep.databaseUrl, max: 1 });
let ctl: ControllerProcess;

/** What of an election's data is there: its topics, subjects and database schema. */
async function dataOf(election: string) {
  const names = electionNames(election);
  const own = Object.values(names.topics);
  const topics = (await admin.listTopics()).filter((t) => own.some((o) => o.name === t)).sort();
  const subjects = new Set((await (await fetch(`${ep.registryUrl}/subjects`)).json()) as string[]);
  const { rows } = await db.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [names.databaseSchema]);
  return {
    topics,
    subjects: own.map((t) => valueSubject(t)).filter((s) => subjects.has(s)),
    schema: rows.length === 1,
  };
}

async function ownedObjects(election: string) {
  const all = await Promise.all(ownedKinds.map((k) => owned(k.apiVersion, k.kind, election)));
  return all
    .flat()
    .map((o) => `${o.metadata?.name}:${o.metadata?.uid}`)
    .sort();
}

beforeAll(async () => {
  await admin.connect();
  ctl = await ControllerProcess.start({ identity: "removal-test", httpPort: 29567 });
  for (const e of [gone, kept]) {
    await deleteElection(e.metadata.name);
    // Its topics, subjects and tables, as its setup step makes them.
    await resetElection(e.metadata.name);
    await applyElection(e);
    await awaitElection(e.metadata.name, (x) => x.status?.phase === "Registering", "set up, registering");
  }
}, 300_000);

afterAll(async () => {
  await deleteElection(kept.metadata.name).catch(() => undefined);
  await ctl?.stop();
  await admin.disconnect();
  await db.end();
});

describe("deleting an Election", () => {
  it("removes its data, then its objects, and nothing of another Election", async () => {
    const before = { gone: await dataOf("ctl-gone"), kept: await dataOf("ctl-kept") };
    expect(before.gone.topics).toHaveLength(6);
    expect(before.gone.subjects.length).toBeGreaterThan(0);
    expect(before.gone.schema).toBe(true);
    const keptObjects = await ownedObjects("ctl-kept");
    expect((await ownedObjects("ctl-gone")).length).toBeGreaterThan(10);
    const keptUid = (await getElection("ctl-kept"))?.metadata?.uid;

    await deleteElection("ctl-gone");
    expect(await dataOf("ctl-gone")).toEqual({ topics: [], subjects: [], schema: false });
    await pollUntil(async () => ((await ownedObjects("ctl-gone")).length === 0 ? true : undefined), {
      timeoutMs: 60_000,
      what: "the garbage collector to delete what ctl-gone owned",
    });

    expect(await dataOf("ctl-kept")).toEqual(before.kept);
    expect(await ownedObjects("ctl-kept")).toEqual(keptObjects);
    expect((await getElection("ctl-kept"))?.metadata?.uid).toBe(keptUid);
  });
});
