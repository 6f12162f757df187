import { execFileSync, spawn, spawnSync } from "node:child_process";
import { accessSync, constants, createWriteStream, existsSync, mkdirSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

/** The absolute path of a program on PATH, or undefined. */
export function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/** The major version a `java` binary reports, or undefined when it does not run. */
export function javaMajor(java: string): number | undefined {
  // `java -version` prints to stderr.
  const run = spawnSync(java, ["-version"], { encoding: "utf8" });
  return run.status === 0 ? parseJavaMajor(run.stderr) : undefined;
}

export function parseJavaMajor(versionOutput: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) return undefined;
  const first = Number(m[1]);
  // Java 8 and older report "1.8.0_x".
  return first === 1 ? Number(m[2]) : first;
}

/**
 * A `java` of at least the given major version: the one named, the one on PATH, or one of the JDKs
 * installed under /usr/lib/jvm.
 */
export function findJava(minMajor: number, named?: string): string | undefined {
  const candidates: string[] = [];
  if (named) candidates.push(named);
  const fromPath = onPath("java");
  if (fromPath) candidates.push(fromPath);
  const jvmRoot = "/usr/lib/jvm";
  if (existsSync(jvmRoot)) {
    const listing = execFileSync("ls", ["-1", jvmRoot], { encoding: "utf8" });
    for (const dir of listing.split("\n").filter(Boolean).sort().reverse()) {
      candidates.push(join(jvmRoot, dir, "bin", "java"));
    }
  }
  return candidates.find((java) => existsSync(java) && (javaMajor(java) ?? 0) >= minMajor);
}

/** Runs Maven quietly with its output in a log file; rejects naming that log. */
export function runMaven(
  args: readonly string[],
  cwd: string,
  logFile: string,
  mavenRepo?: string,
): Promise<void> {
  mkdirSync(dirname(logFile), { recursive: true });
  const full = ["-B", ...(mavenRepo ? [`-Dmaven.repo.local=${mavenRepo}`] : []), ...args];
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile, { flags: "a" });
    const child = spawn("mvn", full, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    child.on("error", reject);
    child.on("close", (code) => {
      out.end();
      if (code === 0) resolve();
      else reject(new Error(`mvn ${args.join(" ")} failed (exit ${code}); see ${logFile}`));
    });
  });
}
