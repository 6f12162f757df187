import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Election } from "../schemas/generated/election.js";
import type { StackSettings } from "./settings.js";

/**
 * The elections open on the local stack: opened by the demo (or a benchmark) when it resets the stack
 * for one, closed once it is certified. While an election is open its tally job must run, so the
 * stack resumes it when Flink starts and reports it unhealthy when it does not run. (In Kubernetes the
 * Election resource and the Flink operator keep this state.)
 */
export interface OpenElection {
  /** The document's metadata.name. */
  readonly name: string;
  /** The document as the election was opened with, so that carrying it on runs the same election. */
  readonly document: Election;
  readonly openedAt: string;
}

function electionsDir(settings: StackSettings): string {
  return join(settings.stackDir, "elections");
}

function electionFile(settings: StackSettings, name: string): string {
  return join(electionsDir(settings), `${name}.json`);
}

export function openElections(settings: StackSettings): OpenElection[] {
  const dir = electionsDir(settings);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as OpenElection);
}

export function openElection(settings: StackSettings, name: string): OpenElection | undefined {
  return openElections(settings).find((e) => e.name === name);
}

export function markOpen(settings: StackSettings, election: OpenElection): void {
  mkdirSync(electionsDir(settings), { recursive: true });
  writeFileSync(electionFile(settings, election.name), `${JSON.stringify(election, null, 2)}\n`);
}

export function markClosed(settings: StackSettings, name: string): void {
  rmSync(electionFile(settings, name), { force: true });
}
