import { CommandError } from "../runtime/command-error.js";

/** The registration CLI's arguments: `--voters N --seed S`, falling back to VOTERS and ELECTION_SEED. */
export interface RegistrationArgs {
  readonly voters: number;
  readonly seed: number;
}

export class UsageError extends CommandError {
  override readonly name = "UsageError";
}

export const usage =
  "usage: registration [--voters N] [--seed S]   (or VOTERS, ELECTION_SEED; defaults 10000, 2026)";

export function parseRegistrationArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  defaultSeed: number,
): RegistrationArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.split("=", 2) as [string, string | undefined];
    if (flag !== "--voters" && flag !== "--seed") throw new UsageError(`unknown argument ${arg}\n${usage}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value\n${usage}`);
    values.set(flag, value);
  }
  const problems: string[] = [];
  const whole = (label: string, raw: string | undefined, fallback: number, min: number): number => {
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min) {
      problems.push(`${label}=${raw}: expected a whole number of at least ${min}`);
      return fallback;
    }
    return n;
  };
  const voters = whole("--voters", values.get("--voters") ?? env.VOTERS, 10_000, 0);
  const seed = whole("--seed", values.get("--seed"), defaultSeed, 0);
  if (problems.length > 0) throw new UsageError(`${problems.join("\n")}\n${usage}`);
  return { voters, seed };
}
