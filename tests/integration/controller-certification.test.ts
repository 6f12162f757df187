import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadElection, withOverrides } from "../../local/election/document.js";
import { resetElection } from "../../local/election/reset.js";
import { startService, type RunningService } from "../../local/election/services.js";
import { endpoints } from "../../local/endpoints.js";
import { electionNames } from "../../schemas/election/names.js";
import { repoRoot } from "../../versions.js";
import {
  applyElection,
  awaitElection,
  ControllerProcess,
  deleteElection,
  electionEvents,
} from "./support/kubernetes.js";

/**
 * An election whose tallies never reach the ledger: it registers and votes, but no tally job counts
 * it. Once voting is over and the tallies have stood still for the controller's patience, it
 * certifies what it has and fails, saying by how much.
 */
const NAME = "ctl-short";
const election = withOverrides(loadElection(join(repoRoot, "elections", "city-council.yaml")), {
  name: NAME,
  voters: 2_000,
  seed: 41,
  rateLimit: 0,
});
const env = { ELECTION_DOCUMENT: JSON.stringify(election) };
let ctl: ControllerProcess;
let voting: RunningService | undefined;

beforeAll(async () => {
  ctl = await ControllerProcess.start({
    identity: "certification-test",
    httpPort: 29568,
    env: { CERTIFICATION_PATIENCE_SECONDS: "5" },
  });
  await deleteElection(NAME);
  await resetElection(NAME);
  await applyElection(election);
  const registration = startService("registration", "producers/registration/main.ts", [], env, {
    logName: `registration-${NAME}`,
  });
  expect(await registration.exited).toBe(0);
  voting = startService(
    "voting",
    "producers/voting/main.ts",
    [],
    { ...env, HTTP_PORT: "29474" },
    {
      logName: `voting-${NAME}`,
    },
  );
}, 300_000);

afterAll(async () => {
  voting?.process.kill("SIGTERM");
  await voting?.exited;
  await deleteElection(NAME).catch(() => undefined);
  await ctl?.stop();
});

describe("an election whose tallies fall short of the ledger", () => {
  it("fails certification once the tallies stand still, with the shortfall in the condition", async () => {
    const failed = await awaitElection(NAME, (e) => e.status?.phase === "Failed", "failed", 120_000);
    const db = new pg.Pool({ connectionString: endpoints().databaseUrl, max: 1 });
    const { rows } = await db.query<{ votes: string }>(
      `SELECT count(*) AS votes FROM ${pg.escapeIdentifier(electionNames(NAME).databaseSchema)}.votes`,
    );
    await db.end();
    const ledger = Number(rows[0]?.votes);
    expect(ledger).toBeGreaterThan(0);
    expect(failed.status?.certification).toMatchObject({
      result: "Mismatch",
      ledgerVotes: ledger,
      talliedVotes: 0,
    });
    expect(failed.status?.certification?.differences?.map((d) => d.table)).toContain("tally_by_candidate");
    const certified = failed.status?.conditions?.find((c) => c.type === "Certified");
    expect(certified).toMatchObject({ status: "False", reason: "LedgerMismatch" });
    expect(certified?.message).toContain(
      `the tallies count 0 votes against the ledger's ${ledger.toLocaleString("en-US")} (${ledger.toLocaleString("en-US")} short)`,
    );
    expect((await electionEvents(NAME)).at(-1)).toMatch(/^LedgerMismatch: the tallies count 0 votes/);
  });
});
