import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { CommandError } from "../../producers/runtime/command-error.js";
import type { Election } from "../generated/election.js";
import { validateElection, type ElectionResult } from "./validate.js";

/**
 * Election documents from where a user or Kubernetes puts them: a file (an example copied and edited, a
 * mounted ConfigMap) or an environment variable holding the document itself. Nothing here throws for a
 * bad document: the result says what is wrong, and the caller decides; requireElection turns it into the
 * error a command ends with.
 */

/** An Election from YAML or JSON text (JSON is YAML). */
export function parseElection(text: string): ElectionResult {
  const [document, ...more] = parseAllDocuments(text);
  if (document === undefined) return { ok: false, problems: ["the document is empty"] };
  if (more.length > 0) {
    return { ok: false, problems: [`expected one YAML document, found ${more.length + 1}`] };
  }
  if (document.errors.length > 0) {
    // The first line of each error: the rest is a code frame that its line and column already point to.
    const first = (e: Error) => (e.message.split("\n")[0] ?? "").replace(/:$/, "");
    return {
      ok: false,
      problems: document.errors.map((e) => `not YAML or JSON: ${first(e)}`),
    };
  }
  return validateElection(document.toJS());
}

/** An Election from a YAML or JSON file. */
export function readElectionFile(path: string): ElectionResult {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    return { ok: false, problems: [`cannot read ${path}: ${(e as Error).message}`] };
  }
  return parseElection(text);
}

/** An Election from an environment variable that holds the document itself. */
export function readElectionFromEnv(variable: string, env: NodeJS.ProcessEnv = process.env): ElectionResult {
  const text = env[variable];
  if (text === undefined || text.trim() === "") {
    return { ok: false, problems: [`${variable} is not set`] };
  }
  return parseElection(text);
}

/** A document that is not a sound Election: the command ends with every problem, exit code 2. */
export class InvalidElectionError extends CommandError {
  override readonly name = "InvalidElectionError";

  constructor(
    /** Where the document came from: a path, or the environment variable that held it. */
    readonly origin: string,
    readonly problems: readonly string[],
  ) {
    const count = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
    super(`${origin} is not a valid Election (${count}):\n  ${problems.join("\n  ")}`);
  }
}

/** The Election, or an InvalidElectionError naming `origin` and every problem. */
export function requireElection(result: ElectionResult, origin: string): Election {
  if (!result.ok) throw new InvalidElectionError(origin, result.problems);
  return result.election;
}
