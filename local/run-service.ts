import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { localServiceEnv } from "./endpoints.js";

/**
 * Runs a service of producers/ (or the migrations of schemas/) against the local stack, in this
 * process: `tsx local/run-service.ts producers/voting/main.ts [args...]`. The engines' addresses come
 * from the stack unless they are set already; the service itself knows nothing of the stack.
 */
const [script, ...args] = process.argv.slice(2);
if (script === undefined) {
  console.error("usage: tsx local/run-service.ts <service main.ts> [arguments...]");
  process.exit(2);
}
Object.assign(process.env, localServiceEnv());
process.argv = [process.argv[0] ?? "node", resolve(script), ...args];
await import(pathToFileURL(resolve(script)).href);
