import { endpoints } from "./endpoints.js";
import { controlPlanePaths } from "./kubernetes/control-plane.js";
import { seconds } from "./progress.js";
import { stackContext, stackDown, stackEngines, stackStatus, stackUp } from "./stack.js";
import { resumeOpenElections } from "./tally-job.js";

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

async function status(): Promise<boolean> {
  const ctx = stackContext();
  const engines = await stackStatus(ctx);
  const rows = [["ENGINE", "STATE", "VERSION", "PID", "PORT", "RSS_MIB", "PEAK_RSS_MIB", "DETAIL"]];
  // An engine that answers is healthy only if what it carries for the open elections is sound too.
  const healthy = (e: (typeof engines)[number]) => e.health.healthy && e.workload?.healthy !== false;
  for (const e of engines) {
    rows.push([
      e.name,
      healthy(e) ? "healthy" : e.pid === undefined ? "stopped" : "unhealthy",
      e.health.version ?? "-",
      e.pid === undefined ? "-" : String(e.pid),
      String(e.port),
      String(e.rssMiB),
      String(e.peakRssMiB),
      e.workload ? `${e.health.detail}; ${e.workload.detail}` : e.health.detail,
    ]);
  }
  const healthyCount = engines.filter(healthy).length;
  const rss = engines.reduce((n, e) => n + e.rssMiB, 0);
  const peak = engines.reduce((n, e) => n + e.peakRssMiB, 0);
  console.log(table(rows));
  console.log(`stack: ${healthyCount}/${engines.length} healthy, rss ${rss} MiB, peak rss ${peak} MiB`);
  return healthyCount === engines.length;
}

async function main(command: string | undefined, args: readonly string[]): Promise<number> {
  switch (command) {
    case "up": {
      const begin = Date.now();
      const took = await stackUp(stackContext(), args.length > 0 ? args : undefined);
      const e = endpoints();
      console.log(
        `stack up in ${seconds(Date.now() - begin)} (${[...took].map(([n, ms]) => `${n} ${seconds(ms)}`).join(", ")})`,
      );
      console.log(`  kafka     ${e.kafkaBrokers.join(",")}`);
      console.log(`  registry  ${e.registryUrl}`);
      console.log(`  postgres  ${e.databaseUrl.replace(/:[^:@/]+@/, ":***@")}`);
      console.log(`  flink     ${e.flinkRestUrl}`);
      const ctx = stackContext();
      if (stackEngines(ctx).some((engine) => engine.name === "kube-apiserver")) {
        console.log(`  kubernetes  kubectl --kubeconfig ${controlPlanePaths(ctx).adminKubeconfig}`);
      }
      return 0;
    }
    case "down": {
      for (const { name, result } of await stackDown(stackContext())) console.log(`${name}: ${result}`);
      return 0;
    }
    case "status":
      return (await status()) ? 0 : 1;
    case "kubeconfig":
      // The admin kubeconfig of the local API server, for make validate and a user's kubectl.
      console.log(controlPlanePaths(stackContext()).adminKubeconfig);
      return 0;
    case "resume":
      return (await resumeOpenElections(stackContext(), (line) => console.log(line))) ? 0 : 1;
    default:
      console.error("usage: tsx local/cli.ts up [engine...]|down|status|resume|kubeconfig");
      return 2;
  }
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`stack: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
