import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { synthesize } from "../../cdk8s/app.js";
import { platformConfig } from "../../cdk8s/config.js";
import { controller, postgres } from "../../cdk8s/names.js";
import { endpoints } from "../endpoints.js";
import { controlPlanePaths } from "../kubernetes/control-plane.js";
import { startService, type RunningService } from "../election/services.js";
import type { StackContext } from "../engine.js";

/**
 * The controller's database login on the local stack, as CloudNativePG makes it in a cluster
 * (cdk8s/lib/postgres.ts): livetally_controller, a member of the read-only livetally_certifier.
 */
async function ensureLogin(ctx: StackContext): Promise<string> {
  const { password, port, database } = ctx.settings.postgres;
  const db = new pg.Client({ connectionString: endpoints().databaseUrl });
  await db.connect();
  try {
    await db.query(`DO $$
      BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${postgres.certifierRole}') THEN
          CREATE ROLE ${postgres.certifierRole} NOLOGIN;
        END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${postgres.controllerRole}') THEN
          CREATE ROLE ${postgres.controllerRole} LOGIN IN ROLE ${postgres.certifierRole};
        END IF;
      END $$`);
    await db.query(`ALTER ROLE ${postgres.controllerRole} PASSWORD ${pg.escapeLiteral(password)}`);
  } finally {
    await db.end();
  }
  return `postgresql://${postgres.controllerRole}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** The platform's settings as the chart mounts them for the controller: its ConfigMap's files. */
function writePlatformDir(ctx: StackContext): string {
  const configMap = synthesize(platformConfig("kind")).find(
    (o) => o.kind === "ConfigMap" && o.metadata.name === controller.configMap,
  ) as { data: Record<string, string> } | undefined;
  if (configMap === undefined) throw new Error(`the platform has no ConfigMap ${controller.configMap}`);
  const dir = join(ctx.settings.stackDir, "controller", "platform");
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(configMap.data)) writeFileSync(join(dir, file), content);
  return dir;
}

/**
 * The environment the controller runs with on the local stack: the restricted kubeconfig of its
 * ServiceAccount (held to the chart's Role), the stack's engines, its read-only login and the owner.
 */
export async function localControllerEnv(ctx: StackContext): Promise<NodeJS.ProcessEnv> {
  const e = endpoints();
  return {
    KUBECONFIG: controlPlanePaths(ctx).controllerKubeconfig,
    WATCH_NAMESPACE: "livetally",
    PLATFORM_DIR: writePlatformDir(ctx),
    KAFKA_BOOTSTRAP_SERVERS: e.kafkaBrokers.join(","),
    SCHEMA_REGISTRY_URL: e.registryUrl,
    DATABASE_URL: await ensureLogin(ctx),
    OWNER_DATABASE_URL: e.databaseUrl,
  };
}

/** A controller replica as its own process, as in its own pod; `identity` is its pod name. */
export function startController(
  identity: string,
  env: NodeJS.ProcessEnv,
  options: { readonly inheritOutput?: boolean } = {},
): RunningService {
  return startService(
    "controller",
    "controller/main.ts",
    [],
    { ...env, POD_NAME: identity },
    { logName: `controller-${identity}`, ...(options.inheritOutput ? { inheritOutput: true } : {}) },
  );
}
