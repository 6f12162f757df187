import { CommandError } from "./command-error.js";
import type { Logger } from "./log.js";

/**
 * Runs a service's main function and turns its outcome into an exit code: a CommandError (bad
 * configuration, a missing precondition, a wrong argument) prints its message plainly, for the
 * operator; anything else is logged with its stack and exits 1.
 */
export function runMain(name: string, main: () => Promise<number>, log?: () => Logger | undefined): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof CommandError) {
        console.error(`${name}: ${e.message}`);
        process.exit(e.exitCode);
      }
      const logger = log?.();
      if (logger) logger.error("failed", { error: e, stack: e instanceof Error ? e.stack : undefined });
      else console.error(`${name}:`, e);
      process.exit(1);
    },
  );
}
