import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localServiceEnv } from "../../local/endpoints.js";
import { ep, freshElection, newPool, recordCount, testElection } from "./services-fixture.js";

const election = testElection("services-cli", { voters: 2_000, seed: 77 });
const { names } = election;
const pool = newPool(names);

beforeAll(async () => {
  await freshElection(election);
});

afterAll(async () => {
  await pool.end();
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs an entrypoint as the images do (one Node process), with extra environment. */
function run(entry: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
      env: {
        ...localServiceEnv(),
        ...election.env,
        HTTP_PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
        ...env,
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("service entrypoints", () => {
  it("setup is idempotent and logs JSON", async () => {
    const result = await run("producers/setup/main.ts", ["--no-topics"]);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.msg)).toEqual([
      "topics skipped (--no-topics)",
      "schemas registered",
      "migrations applied",
    ]);
    expect(lines[2]).toMatchObject({
      level: "info",
      service: "setup",
      schema: names.databaseSchema,
      applied: [],
    });
  });

  it("registration prints progress and a summary, and adds nothing the second time", async () => {
    const first = await run("producers/registration/main.ts", ["--voters", "1500"]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/registration 1500\/1500 voters 100%/);
    expect(first.stderr).toMatch(
      /services-cli: 1500 voters requested \(seed 77\): 1500 added, 0 already registered, 1500 produced/,
    );
    const second = await run("producers/registration/main.ts", ["--voters", "1500"]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(
      /1500 voters requested \(seed 77\): 0 added, 1500 already registered, 0 produced/,
    );
    expect(await recordCount(names.topics.voters.name)).toBe(1500);
    // Without --voters, the whole electorate of the document: the 500 beyond the first runs.
    const rest = await run("producers/registration/main.ts", []);
    expect(rest.stderr).toMatch(
      /2000 voters requested \(seed 77\): 500 added, 1500 already registered, 500 produced/,
    );
  });

  it("refuses bad configuration with one line per bad value", async () => {
    const result = await run("producers/voting/main.ts", [], {
      HTTP_PORT: "nine",
      ELECTION_DOCUMENT: JSON.stringify({
        ...election.document,
        spec: { ...election.document.spec, voting: { rateLimit: -5 } },
      }),
      LOG_LEVEL: "chatty",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("voting: invalid service configuration:");
    expect(result.stderr).toContain("HTTP_PORT=nine: expected a TCP port from 1 to 65535");
    expect(result.stderr).toMatch(/ELECTION_DOCUMENT: spec\.voting\.rateLimit: /);
    expect(result.stderr).toContain("LOG_LEVEL=chatty: expected one of debug, info, warn, error");
  });

  it("refuses to vote against a database that setup has not migrated", async () => {
    const database = `svc_empty_${randomUUID().replaceAll("-", "")}`;
    await pool.query(`CREATE DATABASE ${database}`);
    try {
      const url = new URL(ep.databaseUrl);
      url.pathname = `/${database}`;
      const result = await run("producers/voting/main.ts", [], { DATABASE_URL: url.toString() });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("voting: not ready to start:");
      expect(result.stderr).toContain("database: no migrations are applied (run the setup command)");
    } finally {
      await pool.query(`DROP DATABASE ${database} WITH (FORCE)`);
    }
  });
});
