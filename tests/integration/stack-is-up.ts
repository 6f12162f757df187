import { stackContext, stackStatus } from "../../local/stack.js";

/** Integration tests need the real stack; say so plainly rather than fail test by test. */
export default async function stackIsUp(): Promise<void> {
  const engines = await stackStatus(stackContext());
  const down = engines.filter((e) => !e.health.healthy);
  if (down.length > 0) {
    throw new Error(
      `the local stack is not healthy (${down.map((e) => `${e.name}: ${e.health.detail}`).join("; ")}); run \`make stack-up\` (make test does it for you)`,
    );
  }
}
