import type { Admin } from "kafkajs";
import pg from "pg";
import { certify, type Certification } from "../flink-sql/certification.js";
import { votersPending } from "../producers/voting/progress.js";
import type { ElectionNames } from "../schemas/election/names.js";
import type { DataObservation, TallyFigures } from "./phase.js";

/**
 * PostgreSQL errors that mean the election's schema is not set up yet (or not yet far enough for the
 * controller's role to read it): no such schema, no such table, no privilege.
 */
const NOT_SET_UP = new Set(["3F000", "42P01", "42501"]);

export function isNotSetUp(e: unknown): boolean {
  return NOT_SET_UP.has((e as { code?: string }).code ?? "");
}

/**
 * Reads an election's data for its status: its register's progress, its streamed tallies and, once
 * voting is over, its ledger, all in one read-only transaction with the election's schema as the
 * search path, as the read-only role; and the voting service's progress from the broker.
 */
export class ElectionObserver {
  constructor(
    private readonly db: pg.Pool,
    private readonly admin: Admin,
  ) {}

  private async inSchema<T>(names: ElectionNames, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.db.connect();
    try {
      await client.query("BEGIN READ ONLY");
      await client.query(`SET LOCAL search_path TO ${pg.escapeIdentifier(names.databaseSchema)}`);
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (e) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /** The election's data, or undefined while its schema is not set up. */
  async observe(
    names: ElectionNames,
    seed: number,
    withLedger: boolean,
  ): Promise<DataObservation | undefined> {
    let figures: { published: number; tallies: TallyFigures; ledgerVotes: number | undefined };
    try {
      figures = await this.inSchema(names, async (client) => {
        const progress = await client.query<{ published: number }>(
          "SELECT voters_published AS published FROM registration_progress WHERE seed = $1",
          [seed],
        );
        const turnout = await client.query<{ registered: string; votes: string }>(
          "SELECT coalesce(sum(registered), 0) AS registered, coalesce(sum(votes), 0) AS votes FROM turnout_by_state",
        );
        const candidates = await client.query<{
          candidate_id: string;
          candidate_name: string;
          party: string;
          votes: string;
          total: string;
          last: Date | null;
        }>(
          `SELECT candidate_id, candidate_name, party, votes,
                  sum(votes) OVER () AS total, max(updated_at) OVER () AS last
           FROM tally_by_candidate ORDER BY votes DESC, candidate_id COLLATE "C" LIMIT 2`,
        );
        const ledger = withLedger
          ? await client.query<{ votes: string }>("SELECT count(*) AS votes FROM votes")
          : undefined;
        const [first, second] = candidates.rows;
        return {
          published: progress.rows[0]?.published ?? 0,
          tallies: {
            registered: Number(turnout.rows[0]?.registered ?? 0),
            turnoutVotes: Number(turnout.rows[0]?.votes ?? 0),
            votesCast: Number(first?.total ?? 0),
            leader: first
              ? {
                  candidateId: first.candidate_id,
                  name: first.candidate_name,
                  party: first.party,
                  votes: Number(first.votes),
                }
              : undefined,
            runnerUpVotes: Number(second?.votes ?? 0),
            lastTallyTime: first?.last ? first.last.toISOString().replace(/\.\d{3}Z$/, "Z") : undefined,
          },
          ledgerVotes: ledger ? Number(ledger.rows[0]?.votes ?? 0) : undefined,
        };
      });
    } catch (e) {
      if (isNotSetUp(e)) return undefined;
      throw e;
    }
    return { ...figures, votersPending: await votersPending(this.admin, names) };
  }

  /** The project's certification (flink-sql/certification.ts) of one election, read-only. */
  certify(names: ElectionNames): Promise<Certification> {
    return this.inSchema(names, (client) => certify(client));
  }
}
