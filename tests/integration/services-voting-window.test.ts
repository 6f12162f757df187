import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withOverrides } from "../../local/election/document.js";
import { localServiceEnv } from "../../local/endpoints.js";
import { VoterChoice } from "../../producers/election/choice.js";
import { serviceConfig } from "../../producers/runtime/config.js";
import { createLogger } from "../../producers/runtime/log.js";
import { createMetrics } from "../../producers/runtime/metrics.js";
import { VotingService } from "../../producers/voting/service.js";
import { freshElection, newPool, registerTestElectorate, testElection, waitFor } from "./services-fixture.js";

const VOTERS = 3_000;
const election = testElection("services-window", { voters: VOTERS, seed: 5 });
const { names } = election;
const pool = newPool(names);

beforeAll(async () => {
  await freshElection(election);
  await registerTestElectorate(pool, election, 5, VOTERS);
});

afterAll(async () => {
  await pool.end();
});

describe("a voting window", () => {
  it("casts no vote before the polls open or after they close, and handles every voter", async () => {
    const opensAt = new Date(Date.now() + 3_000);
    const closesAt = new Date(opensAt.getTime() + 4_000);
    // 300 votes/s over 4 s: the polls close with most of the electorate not yet handled.
    const document = withOverrides(election.document, { rateLimit: 300 });
    const windowed = {
      ...document,
      spec: {
        ...document.spec,
        voting: { ...document.spec.voting, opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString() },
      },
    };
    const config = serviceConfig(
      localServiceEnv({ ...process.env, ELECTION_DOCUMENT: JSON.stringify(windowed) }),
    );
    const metrics = createMetrics(names.election);
    const service = new VotingService({
      config,
      election: election.definition,
      log: createLogger("voting", "warn"),
      metrics,
    });
    await service.start();
    try {
      await waitFor("every voter handled", async () => {
        const lag = (await metrics.consumerLag.get()).values;
        return Date.now() > closesAt.getTime() && lag.length > 0 && lag.every((l) => l.value === 0);
      });
    } finally {
      await service.stop();
    }
    const { rows } = await pool.query<{ n: string; first: Date | null; last: Date | null }>(
      "SELECT count(*) AS n, min(cast_at) AS first, max(cast_at) AS last FROM votes",
    );
    const cast = Number(rows[0]?.n);
    const choice = new VoterChoice(election.definition, election.document.spec.electorate.seed);
    const { rows: register } = await pool.query<{ voter_id: string; state: string }>(
      "SELECT voter_id, state FROM voters",
    );
    const wouldVote = register.filter((v) => choice.choose(v.voter_id, v.state).votes).length;
    expect(cast).toBeGreaterThan(0);
    expect(cast).toBeLessThan(wouldVote);
    expect(rows[0]?.first?.getTime()).toBeGreaterThanOrEqual(opensAt.getTime());
    expect(rows[0]?.last?.getTime()).toBeLessThan(closesAt.getTime());
    expect((await metrics.votesCast.get()).values[0]?.value).toBe(cast);
  });
});
