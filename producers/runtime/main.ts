import { ConfigError } from "../../local/settings.js";
import { ElectionError } from "../election/definition.js";
import type { Logger } from "./log.js";
import { PreflightError } from "./preflight.js";

/**
 * Runs a service's main function and turns its outcome into an exit code: configuration and
 * readiness problems print their message plainly (they are for the operator), anything else is logged
 * with its stack.
 */
export function runMain(name: string, main: () => Promise<number>, log?: () => Logger | undefined): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      const expected = e instanceof ConfigError || e instanceof PreflightError || e instanceof ElectionError;
      if (expected) {
        console.error(`${name}: ${e.message}`);
      } else {
        const logger = log?.();
        if (logger) logger.error("failed", { error: e, stack: e instanceof Error ? e.stack : undefined });
        else console.error(`${name}:`, e);
      }
      process.exit(expected ? 2 : 1);
    },
  );
}
