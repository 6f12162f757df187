import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownedKinds } from "../../controller/desired.js";
import { loadElection, withOverrides } from "../../local/election/document.js";
import { runElection, type ElectionRunResult } from "../../local/election/run.js";
import { endpoints } from "../../local/endpoints.js";
import { pollUntil } from "../../producers/runtime/waiting.js";
import { electionNames } from "../../schemas/election/names.js";
import { repoRoot } from "../../versions.js";
import {
  applyElection,
  awaitElection,
  ControllerProcess,
  deleteElection,
  electionEvents,
  getElection,
  kubectl,
  leaseHolder,
  NAMESPACE,
  owned,
  watchElection,
} from "./support/kubernetes.js";

/**
 * A real election on the local stack, its services run as the demo runs them, while the controller
 * watches its Election: the status moves through the phases to Certified with the ledger's figures,
 * and a controller killed mid-election (SIGKILL) is taken over by another that carries on without
 * making an object twice or losing what the status said.
 */
const NAME = "ctl-vote";
const election = withOverrides(loadElection(join(repoRoot, "elections", "city-council.yaml")), {
  name: NAME,
  voters: 12_000,
  seed: 31,
  rateLimit: 600,
});
const names = electionNames(NAME);
const PHASES = ["Pending", "Provisioning", "Registering", "Voting", "Tallying", "Certified"];

let first: ControllerProcess | undefined;
let second: ControllerProcess | undefined;
/** Every phase the Election's status showed, in order: from a watch, so none is missed. */
const seen: string[] = [];
let stopWatching: () => void = () => {};

async function ownedUids(): Promise<string[]> {
  const all = await Promise.all(ownedKinds.map((k) => owned(k.apiVersion, k.kind, NAME)));
  return all
    .flat()
    .map((o) => `${o.metadata?.name}:${o.metadata?.uid}`)
    .sort();
}

let result: ElectionRunResult;
let uidsBefore: string[] = [];
let statusAtKill: Awaited<ReturnType<typeof getElection>>;
let tookOverMs = 0;

beforeAll(async () => {
  first = await ControllerProcess.start({ identity: "vote-a", httpPort: 29562 });
  await pollUntil(async () => ((await first?.isLeader()) ? true : undefined), {
    timeoutMs: 30_000,
    what: "the first controller to lead",
  });
  await deleteElection(NAME);
  await applyElection(election);
  await awaitElection(NAME, (e) => e.status?.phase === "Provisioning", "provisioned");
  stopWatching = watchElection(NAME, (e) => {
    const phase = e.status?.phase;
    if (phase && seen.at(-1) !== phase) seen.push(phase);
  });
  const running = runElection({
    election,
    resume: false,
    votingPort: 29473,
    registerFirst: true,
    showRegistration: false,
    say: (line) => console.log(`${NAME}: ${line}`),
  });
  // Mid-election, the leader dies without a word; a second replica takes the Lease once it lapses.
  statusAtKill = await awaitElection(NAME, (e) => e.status?.phase === "Voting", "voting", 180_000);
  uidsBefore = await ownedUids();
  await first.kill();
  const killedAt = Date.now();
  second = await ControllerProcess.start({ identity: "vote-b", httpPort: 29563 });
  await pollUntil(async () => ((await leaseHolder()) === "vote-b" ? true : undefined), {
    timeoutMs: 30_000,
    intervalMs: 100,
    what: "the second controller to take the Lease",
  });
  tookOverMs = Date.now() - killedAt;
  result = await running;
  await awaitElection(NAME, (e) => e.status?.phase === "Certified", "certified", 120_000);
  stopWatching();
}, 600_000);

afterAll(async () => {
  stopWatching();
  await deleteElection(NAME).catch(() => undefined);
  await second?.stop();
  await first?.stop();
});

describe("an Election's status through a real election", () => {
  it("moves through the phases in order, to Certified", () => {
    console.log(`phases seen: ${seen.join(" -> ")}; events: see below`);
    expect(seen.at(-1)).toBe("Certified");
    expect(seen).toEqual(expect.arrayContaining(["Registering", "Voting", "Tallying", "Certified"]));
    const order = seen.map((p) => PHASES.indexOf(p));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(result.certification.match).toBe(true);
  });

  it("ends with the ledger's votes, registered voters, turnout and leader", async () => {
    const db = new pg.Pool({ connectionString: endpoints().databaseUrl, max: 1 });
    try {
      const schema = pg.escapeIdentifier(names.databaseSchema);
      const { rows } = await db.query<{
        votes: string;
        voters: string;
        leader: string;
        lead: string;
        margin: string;
      }>(
        `WITH counts AS (SELECT v.candidate_id, c.name, count(*) AS n
                         FROM ${schema}.votes v JOIN ${schema}.candidates c USING (candidate_id) GROUP BY 1, 2)
         SELECT (SELECT count(*) FROM ${schema}.votes) AS votes,
                (SELECT count(*) FROM ${schema}.voters) AS voters,
                (SELECT name FROM counts ORDER BY n DESC, candidate_id COLLATE "C" LIMIT 1) AS leader,
                (SELECT n FROM counts ORDER BY n DESC, candidate_id COLLATE "C" LIMIT 1) AS lead,
                (SELECT n FROM counts ORDER BY n DESC, candidate_id COLLATE "C" LIMIT 1 OFFSET 1) AS margin`,
      );
      const ledger = rows[0];
      const status = (await getElection(NAME))?.status;
      expect(status).toMatchObject({
        phase: "Certified",
        votesCast: Number(ledger?.votes),
        registered: Number(ledger?.voters),
        turnoutPercent: Math.round((10_000 * Number(ledger?.votes)) / Number(ledger?.voters)) / 100,
        leader: { name: ledger?.leader, votes: Number(ledger?.lead) },
        margin: Number(ledger?.lead) - Number(ledger?.margin),
        certification: {
          result: "Match",
          ledgerVotes: Number(ledger?.votes),
          talliedVotes: Number(ledger?.votes),
        },
      });
      expect(status?.conditions?.find((c) => c.type === "Certified")).toMatchObject({
        status: "True",
        reason: "LedgerMatch",
      });
      const row = (await kubectl(["get", "election", NAME, "--namespace", NAMESPACE, "--no-headers"])).split(
        /\s{2,}/,
      );
      expect(row.slice(0, 7)).toEqual([
        NAME,
        "Certified",
        String(ledger?.votes),
        String(status?.turnoutPercent),
        String(ledger?.leader),
        String(status?.margin),
        "True",
      ]);
    } finally {
      await db.end();
    }
  });

  it("records an event for each phase it moved to", async () => {
    const events = await electionEvents(NAME);
    const phases = events.map((e) => e.split(":")[0]).filter((r) => PHASES.includes(r ?? ""));
    expect(phases).toEqual(["Provisioning", "Registering", "Voting", "Tallying", "Certified"]);
  });

  it("survives its controller killed mid-election: another carries on, makes nothing twice, loses nothing", async () => {
    // Started after the kill, as a Deployment replaces a lost pod; the lease lasts 6 s here.
    console.log(`the second controller held the Lease ${tookOverMs} ms after the first was killed`);
    expect(await ownedUids()).toEqual(uidsBefore);
    expect(
      await second?.sample("livetally_controller_reconciles_total", 'outcome="applied"'),
    ).toBeGreaterThanOrEqual(0);
    const after = (await getElection(NAME))?.status;
    expect(after?.observedGeneration).toBe(statusAtKill?.status?.observedGeneration);
    // What held before the kill still holds: the same transition times for what did not change.
    const provisioned = (s: typeof after) => s?.conditions?.find((c) => c.type === "Provisioned");
    expect(provisioned(after)?.lastTransitionTime).toBe(
      provisioned(statusAtKill?.status)?.lastTransitionTime,
    );
  });
});
