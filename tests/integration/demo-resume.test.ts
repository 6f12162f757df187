import { spawn } from "node:child_process";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { loadElection } from "../../local/election/document.js";
import { openElection } from "../../local/elections.js";
import { endpoints } from "../../local/endpoints.js";
import { stackContext } from "../../local/stack.js";
import { VoterChoice } from "../../producers/election/choice.js";
import { electionDefinition } from "../../producers/election/definition.js";
import { electionNames } from "../../schemas/election/names.js";
import { pollUntil } from "../../producers/runtime/waiting.js";

const VOTERS = 20_000;
const SEED = 77;
/** `make demo` without ELECTION runs the default election, under its own name. */
const declared = loadElection();
const DEMO_ELECTION = declared.metadata.name;

interface DemoRun {
  readonly output: () => string;
  readonly exited: Promise<number>;
  /** The demo and every service it started: one process group, as a terminal's Ctrl-C reaches it. */
  kill(): void;
}

function demo(env: NodeJS.ProcessEnv): DemoRun {
  const child = spawn(process.execPath, ["--import", "tsx", "demo/main.ts"], {
    env: { ...process.env, CI: "true", VOTERS: String(VOTERS), ELECTION_SEED: String(SEED), ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  return {
    output: () => output,
    exited: new Promise((resolve) => child.on("exit", (code) => resolve(code ?? 137))),
    kill: () => process.kill(-(child.pid ?? 0), "SIGKILL"),
  };
}

describe("make demo run again while its election is open", () => {
  const db = new pg.Pool({
    connectionString: endpoints().databaseUrl,
    max: 1,
    options: `-c search_path=${electionNames(DEMO_ELECTION).databaseSchema}`,
  });

  afterAll(async () => {
    await db.end();
  });

  it("carries the election on where it stood and certifies it", async () => {
    const interrupted = demo({ DEMO_FRESH: "1", VOTING_RATE_LIMIT: "400" });
    await pollUntil(
      async () => {
        if (!interrupted.output().includes("voting opens")) return undefined;
        const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM votes");
        return Number(rows[0]?.n) >= 1_500 ? true : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500, what: "the first demo to be voting" },
    );
    interrupted.kill();
    await interrupted.exited;
    const { rows: before } = await db.query<{ n: string }>("SELECT count(*) AS n FROM votes");
    expect(openElection(stackContext().settings, DEMO_ELECTION)).toMatchObject({
      document: { spec: { electorate: { voters: VOTERS, seed: SEED }, voting: { rateLimit: 400 } } },
    });

    const again = demo({ VOTING_RATE_LIMIT: "0" });
    const code = await again.exited;
    const output = again.output();
    expect(output, output).toContain(`carrying on with the open election ${DEMO_ELECTION}`);
    expect(output).not.toContain("resetting the election");

    const register = await db.query<{ voter_id: string; state: string }>(
      "SELECT voter_id, state FROM voters",
    );
    const choice = new VoterChoice(electionDefinition(declared), SEED);
    const expected = register.rows.filter((v) => choice.choose(v.voter_id, v.state).votes).length;
    const { rows: after } = await db.query<{ n: string }>("SELECT count(*) AS n FROM votes");
    expect(register.rows.length).toBe(VOTERS);
    expect(Number(before[0]?.n)).toBeLessThan(expected);
    expect(Number(after[0]?.n)).toBe(expected);
    expect(output.trimEnd().split("\n").at(-1)).toBe(`certification: MATCH votes=${expected}`);
    expect(code).toBe(0);
    expect(openElection(stackContext().settings, DEMO_ELECTION)).toBeUndefined();
  }, 600_000);
});
