import { CommandError } from "../runtime/command-error.js";

/** The registration CLI's arguments: `--voters N`, the first N voters of the electorate. */
export interface RegistrationArgs {
  readonly voters: number;
}

export class UsageError extends CommandError {
  override readonly name = "UsageError";
}

export const usage =
  "usage: registration [--voters N]   (the first N voters of the election's electorate; default all of them)";

/** `electorate` is the election's electorate.voters: the default, and the most that can be registered. */
export function parseRegistrationArgs(argv: readonly string[], electorate: number): RegistrationArgs {
  let raw: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.split("=", 2) as [string, string | undefined];
    if (flag !== "--voters") throw new UsageError(`unknown argument ${arg}\n${usage}`);
    raw = inline ?? argv[++i];
    if (raw === undefined) throw new UsageError(`${flag} needs a value\n${usage}`);
  }
  if (raw === undefined) return { voters: electorate };
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0 || n > electorate) {
    throw new UsageError(
      `--voters=${raw}: expected a whole number from 0 to ${electorate}, the electorate\n${usage}`,
    );
  }
  return { voters: n };
}
