import { stackContext, stackStatus } from "../../local/stack.js";
import { sleep } from "../../producers/runtime/waiting.js";

/**
 * Integration tests need the real stack; say so plainly rather than fail test by test. A loaded
 * machine may keep an engine from answering its probe in time, so it is asked again for a minute.
 */
export default async function stackIsUp(): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const engines = await stackStatus(stackContext());
    const down = engines.filter((e) => !e.health.healthy);
    if (down.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the local stack is not healthy (${down.map((e) => `${e.name}: ${e.health.detail}`).join("; ")}); run \`make stack-up\` (make test does it for you)`,
      );
    }
    await sleep(2_000);
  }
}
