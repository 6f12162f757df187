import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Engine, Health, StackContext } from "../engine.js";
import type { LaunchSpec } from "../processes.js";
import { findJava, onPath, runMaven } from "../toolchain.js";

/** Apicurio Registry 3 needs Java 21 or newer. */
const REGISTRY_MIN_JAVA = 21;

/**
 * Apicurio Registry from its Maven Central distribution, storing its artifacts in the stack's
 * PostgreSQL (as it does in Kubernetes), with the Confluent-compatible API under /apis/ccompat/v7.
 */
export class RegistryEngine implements Engine {
  readonly name = "registry";
  readonly startTimeoutMs = 120_000;
  readonly stopSignal = "SIGTERM" as const;
  readonly dependsOn = ["postgres"];

  constructor(private readonly ctx: StackContext) {}

  get port(): number {
    return this.ctx.settings.registry.port;
  }

  private get version(): string {
    return this.ctx.versions.APICURIO_LOCAL_VERSION;
  }

  private get installDir(): string {
    return join(this.ctx.settings.cacheDir, `apicurio-registry-${this.version}`);
  }

  private java(): string | undefined {
    return findJava(REGISTRY_MIN_JAVA, this.ctx.settings.registry.java);
  }

  missingPrerequisites(): string[] {
    const missing: string[] = [];
    if (!this.java()) {
      missing.push(
        `Java ${REGISTRY_MIN_JAVA} or newer for Apicurio Registry (none found on PATH or under /usr/lib/jvm; set LIVETALLY_REGISTRY_JAVA to its java binary)`,
      );
    }
    if (!onPath("mvn"))
      missing.push(
        "mvn (Apache Maven, to fetch Apicurio Registry from Maven Central; apt-get install maven)",
      );
    return missing;
  }

  async prepare(step: (what: string) => void): Promise<void> {
    if (existsSync(join(this.installDir, "quarkus-run.jar"))) return;
    const downloads = join(this.ctx.settings.cacheDir, "downloads");
    const archive = join(downloads, `apicurio-registry-app-${this.version}-all.tar.gz`);
    if (!existsSync(archive)) {
      step(`fetching Apicurio Registry ${this.version} from Maven Central`);
      await runMaven(
        [
          "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy",
          `-Dartifact=io.apicurio:apicurio-registry-app:${this.version}:tar.gz:all`,
          `-DoutputDirectory=${downloads}`,
        ],
        this.ctx.settings.cacheDir,
        join(this.ctx.settings.logDir, "maven-registry.log"),
        this.ctx.settings.mavenRepo,
      );
    }
    step("unpacking Apicurio Registry");
    const partial = `${this.installDir}.partial`;
    execFileSync("rm", ["-rf", partial]);
    mkdirSync(partial, { recursive: true });
    execFileSync("tar", ["-xzf", archive, "-C", partial]);
    execFileSync("mv", [partial, this.installDir]);
  }

  launchSpec(): LaunchSpec {
    const { registry, postgres } = this.ctx.settings;
    const java = this.java();
    if (!java) throw new Error(`no Java ${REGISTRY_MIN_JAVA}+ for Apicurio Registry`);
    return {
      command: java,
      args: [
        `-Xmx${registry.heap}`,
        "-XX:+UseSerialGC",
        "-Dquarkus.http.host=127.0.0.1",
        `-Dquarkus.http.port=${registry.port}`,
        "-Dquarkus.management.host=127.0.0.1",
        `-Dquarkus.management.port=${registry.managementPort}`,
        "-Dapicurio.storage.kind=sql",
        "-Dapicurio.storage.sql.kind=postgresql",
        `-Dapicurio.datasource.url=jdbc:postgresql://127.0.0.1:${postgres.port}/${postgres.registryDatabase}`,
        `-Dapicurio.datasource.username=${postgres.user}`,
        `-Dapicurio.datasource.password=${postgres.password}`,
        // The defaults hold 20 idle connections; a laptop stack needs a handful.
        "-Dapicurio.datasource.jdbc.initial-size=2",
        "-Dapicurio.datasource.jdbc.min-size=2",
        "-Dapicurio.datasource.jdbc.max-size=10",
        "-Dapicurio.storage.snapshot.location=" + join(this.ctx.settings.dataDir, "registry"),
        "-jar",
        join(this.installDir, "quarkus-run.jar"),
      ],
      cwd: this.installDir,
      logFile: join(this.ctx.settings.logDir, "registry.log"),
      pidFile: join(this.ctx.settings.stackDir, "run", "registry.pid"),
    };
  }

  async probe(): Promise<Health> {
    const { port, managementPort } = this.ctx.settings.registry;
    try {
      const ready = await fetch(`http://127.0.0.1:${managementPort}/health/ready`, {
        signal: AbortSignal.timeout(2000),
      });
      if (!ready.ok) return { healthy: false, detail: `readiness answered ${ready.status}` };
      const info = (await (
        await fetch(`http://127.0.0.1:${port}/apis/registry/v3/system/info`, {
          signal: AbortSignal.timeout(2000),
        })
      ).json()) as { version?: string; name?: string };
      const ccompat = await fetch(`http://127.0.0.1:${port}/apis/ccompat/v7/subjects`, {
        signal: AbortSignal.timeout(2000),
      });
      return {
        healthy: ccompat.ok,
        ...(info.version ? { version: info.version } : {}),
        detail: `${info.name ?? "registry"}; ccompat API ${ccompat.status}`,
      };
    } catch (e) {
      return { healthy: false, detail: (e as Error).message };
    }
  }
}
