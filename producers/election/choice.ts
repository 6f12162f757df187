import { hash } from "node:crypto";
import type { ElectionDefinition, RegionDefinition } from "./definition.js";

/**
 * Deterministic draws from (election seed, subject): the same inputs give the same numbers on every
 * machine and every replay, which is what makes a restarted voting service cast the same vote.
 */
function digest(purpose: string, seed: number, subject: string): Buffer {
  // The one-shot hash: a Hash object per voter costs more than the digest itself.
  return hash("sha256", `${purpose}\0${seed}\0${subject}`, "buffer");
}

/** A uniform number in [0, 1) from the 48-bit slice of a digest at byte `at`. */
function uniformAt(d: Buffer, at: number): number {
  return d.readUIntBE(at, 6) / 2 ** 48;
}

/** A UUID (version 8: custom, hash-based) from 16 bytes of a digest. */
function uuidFrom(d: Buffer): string {
  const b = Buffer.from(d.subarray(0, 16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x80;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * One digest per voter decides everything about their ballot: bytes 0-11 whether and for whom they
 * vote, bytes 16-31 the vote id.
 */
function ballotDigest(seed: number, voterId: string): Buffer {
  return digest("ballot", seed, voterId);
}

export function voteId(seed: number, voterId: string): string {
  return uuidFrom(ballotDigest(seed, voterId).subarray(16));
}

export interface VoterIdentity {
  readonly voterId: string;
  /** Seeds the voter's own draws (name, age, address...), so they need no second digest. */
  readonly drawSeed: number;
}

/** One digest per registered voter: bytes 0-15 the voter id, bytes 16-19 the seed of their draws. */
export function voterIdentity(seed: number, index: number): VoterIdentity {
  const d = digest("voter-id", seed, String(index));
  return { voterId: uuidFrom(d), drawSeed: d.readUInt32BE(16) };
}

export function voterId(seed: number, index: number): string {
  return voterIdentity(seed, index).voterId;
}

/** A fast deterministic sequence of uniforms in [0, 1) (mulberry32), which can be reseeded. */
export class UniformSequence {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  reseed(seed: number): void {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

export function uniformSequence(seed: number): () => number {
  const sequence = new UniformSequence(seed);
  return () => sequence.next();
}

/** Items with fixed weights, for picking many times: the running totals are summed once. */
export class WeightedTable<T> {
  private readonly bounds: number[] = [];
  private readonly total: number;

  constructor(
    private readonly items: readonly T[],
    weight: (item: T) => number,
  ) {
    let total = 0;
    for (const item of items) {
      total += weight(item);
      this.bounds.push(total);
    }
    if (!(total > 0)) throw new Error("no item has a positive weight");
    this.total = total;
  }

  /** The item whose share of the total covers u in [0, 1). */
  pick(u: number): T {
    const target = u * this.total;
    for (let i = 0; i < this.bounds.length; i++) {
      if (target < (this.bounds[i] as number)) return this.items[i] as T;
    }
    // Rounding can leave the target at the total: the last positive weight wins.
    for (let i = this.items.length - 1; i > 0; i--) {
      if ((this.bounds[i] as number) > (this.bounds[i - 1] as number)) return this.items[i] as T;
    }
    return this.items[0] as T;
  }
}

export type Choice =
  { readonly votes: false } | { readonly votes: true; readonly candidateId: string; readonly voteId: string };

/** A region's turnout and its candidates weighted by preference, built once per election. */
interface RegionBallot {
  readonly turnout: number;
  readonly candidates: WeightedTable<string>;
}

/**
 * Whether and for whom a voter votes. A voter whose state the election does not list (a register drawn
 * from another definition) follows the electorate-weighted national average turnout and preferences.
 */
export class VoterChoice {
  private readonly byState: Map<string, RegionBallot>;
  private readonly national: RegionBallot;

  constructor(
    election: ElectionDefinition,
    private readonly seed: number,
  ) {
    const candidateIds = election.candidates.map((c) => c.candidate_id);
    const ballot = (r: Pick<RegionDefinition, "turnout" | "preferences">): RegionBallot => ({
      turnout: r.turnout,
      candidates: new WeightedTable(candidateIds, (id) => r.preferences[id] ?? 0),
    });
    this.byState = new Map(election.regions.map((r) => [r.state, ballot(r)]));
    const preferences: Record<string, number> = {};
    let turnout = 0;
    for (const r of election.regions) {
      turnout += r.turnout * r.electorateShare;
      for (const id of candidateIds) {
        preferences[id] = (preferences[id] ?? 0) + (r.preferences[id] ?? 0) * r.electorateShare;
      }
    }
    this.national = ballot({ turnout, preferences });
  }

  choose(voterId: string, state: string): Choice {
    const region = this.byState.get(state) ?? this.national;
    const d = ballotDigest(this.seed, voterId);
    if (uniformAt(d, 0) >= region.turnout) return { votes: false };
    const candidateId = region.candidates.pick(uniformAt(d, 6));
    return { votes: true, candidateId, voteId: uuidFrom(d.subarray(16)) };
  }
}
