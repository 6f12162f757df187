import type { ElectionServices } from "../local/election/run.js";
import type { StackContext } from "../local/engine.js";
import { stopByPidFile } from "../local/processes.js";
import { stackEngines, stackUp } from "../local/stack.js";
import { pollUntil } from "../producers/runtime/waiting.js";

/** One fault injected into a running election, and how the platform is brought back from it. */
export interface Fault {
  readonly name: string;
  inject(): Promise<void>;
}

/** SIGKILL to the voting service: its supervisor starts it again, as a Deployment replaces a pod. */
export function killVoting(services: () => ElectionServices | undefined): Fault {
  return {
    name: "voting service SIGKILL",
    async inject() {
      const voting = services()?.voting;
      if (voting === undefined) throw new Error("the voting service is not running yet");
      const victim = voting.current;
      victim.process.kill("SIGKILL");
      await victim.exited;
      // Back when the supervisor has started another one.
      await pollUntil(async () => (voting.current !== victim ? true : undefined), {
        timeoutMs: 60_000,
        what: "the voting service to be started again",
      });
    },
  };
}

/**
 * An engine of the local stack stopped by a signal and started again by `make stack-up`'s own code:
 * SIGTERM for a broker restart, SIGQUIT for PostgreSQL's immediate shutdown (what `pg_ctl -m
 * immediate` sends), SIGKILL for a Flink process that dies.
 */
export function restartEngine(
  ctx: StackContext,
  engine: string,
  signal: NodeJS.Signals,
  name: string,
): Fault {
  return {
    name,
    async inject() {
      const target = stackEngines(ctx).find((e) => e.name === engine);
      if (target === undefined) throw new Error(`no engine ${engine}`);
      const outcome = await stopByPidFile(target.launchSpec().pidFile, signal, 60_000);
      if (outcome === "not-running") throw new Error(`${engine} was not running`);
      await stackUp(ctx);
    },
  };
}
