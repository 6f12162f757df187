import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, versions } from "../../versions.js";
import { stringify } from "yaml";
import { controlledObjects, electionResourceObject, readPlatformFiles, synthesize } from "../app.js";
import { platformConfig } from "../config.js";
import { dockerBuild, imageBuilds } from "../images.js";
import { grafana } from "../names.js";
import { grafanaCredentialCommand, kindClusterConfig, kindDownPlan, kindUpPlan, type Step } from "./plan.js";

/**
 * `make kind-up`, `make kind-down`, `make images`. With DRY_RUN=1 every command is printed, not
 * run, and nothing is written.
 */
const dryRun = process.env.DRY_RUN === "1";

export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./{}-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

function show(step: Step): string {
  const env = Object.entries(step.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)} `);
  return `${env.join("")}${step.command.map(shellQuote).join(" ")}`;
}

function run(steps: readonly Step[]): void {
  const started = Date.now();
  steps.forEach((step, i) => {
    const at = `[${i + 1}/${steps.length} ${((Date.now() - started) / 1000).toFixed(0)}s]`;
    if (dryRun) {
      console.log(`${at} ${step.title}`);
      if (step.unless) console.log(`  unless: ${step.unless.map(shellQuote).join(" ")}`);
      console.log(`  + ${show(step)}`);
      return;
    }
    if (
      step.unless &&
      spawnSync(step.unless[0] ?? "", step.unless.slice(1), { stdio: "ignore" }).status === 0
    ) {
      console.log(`${at} ${step.title}: already there`);
      return;
    }
    console.log(`${at} ${step.title}`);
    const r = spawnSync(step.command[0] ?? "", step.command.slice(1), {
      cwd: repoRoot,
      stdio: "inherit",
      env: { ...process.env, ...step.env },
    });
    if (r.status !== 0) {
      console.error(`kind: failed: ${step.title}\n  ${show(step)}`);
      process.exit(r.status ?? 1);
    }
  });
}

function credential(key: "admin-user" | "admin-password", config = platformConfig("kind")): string {
  const [cmd = "", ...args] = grafanaCredentialCommand(config, key);
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return Buffer.from(r.stdout ?? "", "base64").toString("utf8");
}

function up(): void {
  const config = platformConfig("kind");
  const files = readPlatformFiles("kind");
  // kind's example: the default election with the smaller electorate a laptop tallies in seconds.
  const [election] = files.elections;
  if (election === undefined) throw new Error("the kind profile installs no election");
  const written = (name: string, text: string) => {
    const file = join(repoRoot, "build", "kind", name);
    if (!dryRun) {
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(file, text);
    } else {
      console.log(`${file}:\n${text}`);
    }
    return file;
  };
  const clusterConfigFile = written("cluster.yaml", kindClusterConfig(versions()));
  const electionFile = written(
    "election.yaml",
    stringify(electionResourceObject(election), { lineWidth: 0 }),
  );
  run(
    kindUpPlan({
      config,
      objects: synthesize(config, { ...files, elections: [] }),
      clusterConfigFile,
      election: { name: election.metadata.name, file: electionFile },
      electionObjects: controlledObjects(config, [election], files),
    }),
  );
  const url = `http://localhost:${grafana.port}`;
  if (dryRun) {
    console.log(`Grafana: ${url}`);
    for (const key of ["admin-user", "admin-password"] as const) {
      console.log(`  ${key}: ${grafanaCredentialCommand(config, key).map(shellQuote).join(" ")} | base64 -d`);
    }
    return;
  }
  console.log(
    `\nGrafana: ${url}\n  user:     ${credential("admin-user")}\n  password: ${credential("admin-password")}`,
  );
}

function images(): void {
  run(
    imageBuilds(platformConfig("kind")).map((b) => ({ title: `image ${b.image}`, command: dockerBuild(b) })),
  );
}

const commands: Record<string, () => void> = { up, down: () => run(kindDownPlan()), images };
const command = commands[process.argv[2] ?? ""];
if (!command) {
  console.error(`usage: cli.ts ${Object.keys(commands).join("|")}`);
  process.exit(2);
}
command();
