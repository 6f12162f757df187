import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mavenProperties } from "../../versions.js";
import { openElections } from "../elections.js";
import type { Engine, Health, StackContext } from "../engine.js";
import type { LaunchSpec } from "../processes.js";
import { resumeOpenElections, tallyJobsHealth } from "../tally-job.js";
import { RUNNER_DIR, RUNNER_JAR, RUNNER_SOURCES, flinkLibDir, runnerSourcesDigest } from "../flink-runner.js";
import { onPath, runMaven } from "../toolchain.js";

/**
 * Flink as a session MiniCluster (job manager and task manager in one JVM) with the Kafka, JDBC and
 * avro-confluent connectors on its classpath; SQL jobs are submitted to it over REST.
 */
export class FlinkEngine implements Engine {
  readonly name = "flink";
  readonly startTimeoutMs = 90_000;
  readonly stopSignal = "SIGTERM" as const;
  readonly dependsOn = [];

  constructor(private readonly ctx: StackContext) {}

  get port(): number {
    return this.ctx.settings.flink.port;
  }

  private get configDir(): string {
    return join(this.ctx.settings.stackDir, "config", "flink");
  }

  missingPrerequisites(): string[] {
    const missing: string[] = [];
    if (!onPath("java")) missing.push("java (Java 17 or newer; apt-get install openjdk-17-jdk-headless)");
    if (!onPath("mvn"))
      missing.push("mvn (Apache Maven, to build the SQL runner and resolve Flink; apt-get install maven)");
    return missing;
  }

  async prepare(step: (what: string) => void): Promise<void> {
    const libDir = flinkLibDir(this.ctx);
    const marker = join(libDir, `flink-table-runtime-${this.ctx.versions.FLINK_VERSION}.jar`);
    const digest = runnerSourcesDigest();
    const built = existsSync(RUNNER_SOURCES) ? readFileSync(RUNNER_SOURCES, "utf8").trim() : "";
    if (!existsSync(RUNNER_JAR) || !existsSync(marker) || built !== digest) {
      step(
        `building the SQL runner and resolving Flink ${this.ctx.versions.FLINK_VERSION} with its connectors`,
      );
      await runMaven(
        [
          ...mavenProperties(this.ctx.versions),
          "package",
          "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
          "-DincludeScope=compile",
          `-DoutputDirectory=${libDir}`,
        ],
        RUNNER_DIR,
        join(this.ctx.settings.logDir, "maven-flink.log"),
        this.ctx.settings.mavenRepo,
      );
      writeFileSync(RUNNER_SOURCES, `${digest}\n`);
    }
    mkdirSync(this.configDir, { recursive: true });
    writeFileSync(
      join(this.configDir, "log4j2.properties"),
      [
        "rootLogger.level=INFO",
        "rootLogger.appenderRef.out.ref=out",
        "appender.out.type=Console",
        "appender.out.name=out",
        "appender.out.layout.type=PatternLayout",
        "appender.out.layout.pattern=%d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
        // The Kafka client logs every fetch-session change at INFO.
        "logger.kafka.name=org.apache.kafka",
        "logger.kafka.level=WARN",
        "",
      ].join("\n"),
    );
  }

  launchSpec(): LaunchSpec {
    const { flink, dataDir } = this.ctx.settings;
    return {
      command: "java",
      args: [
        `-Xms${flink.heap}`,
        `-Xmx${flink.heap}`,
        `-Dlog4j2.configurationFile=${join(this.configDir, "log4j2.properties")}`,
        "-cp",
        `${RUNNER_JAR}:${flinkLibDir(this.ctx)}/*`,
        "io.livetally.flink.LocalSessionCluster",
        "rest.bind-address=127.0.0.1",
        "rest.address=127.0.0.1",
        `rest.port=${flink.port}`,
        `taskmanager.numberOfTaskSlots=${flink.slots}`,
        `execution.checkpointing.dir=file://${join(dataDir, "flink", "checkpoints")}`,
        `execution.checkpointing.savepoint-dir=file://${join(dataDir, "flink", "savepoints")}`,
      ],
      cwd: this.ctx.settings.stackDir,
      logFile: join(this.ctx.settings.logDir, "flink.log"),
      pidFile: join(this.ctx.settings.stackDir, "run", "flink.pid"),
    };
  }

  /** The MiniCluster loads the runner's format, lookup and functions at start: a newer jar needs a restart. */
  outdated(): string | undefined {
    const pidFile = this.launchSpec().pidFile;
    if (!existsSync(pidFile) || !existsSync(RUNNER_JAR)) return undefined;
    return statSync(RUNNER_JAR).mtimeMs > statSync(pidFile).mtimeMs
      ? "the SQL runner was rebuilt after Flink started"
      : undefined;
  }

  /** A Flink that starts while elections are open brings their tally jobs back, or says why not. */
  async afterHealthy(say: (what: string) => void): Promise<void> {
    await resumeOpenElections(this.ctx, say);
  }

  workload(): Promise<Health> {
    return tallyJobsHealth(openElections(this.ctx.settings));
  }

  async probe(): Promise<Health> {
    try {
      const overview = (await (
        await fetch(`http://127.0.0.1:${this.port}/overview`, { signal: AbortSignal.timeout(2000) })
      ).json()) as {
        taskmanagers?: number;
        "slots-total"?: number;
        "flink-version"?: string;
        "jobs-running"?: number;
      };
      const taskManagers = overview.taskmanagers ?? 0;
      return {
        healthy: taskManagers > 0,
        ...(overview["flink-version"] ? { version: overview["flink-version"] } : {}),
        detail: `${taskManagers} task manager(s), ${overview["slots-total"] ?? 0} slots, ${overview["jobs-running"] ?? 0} job(s) running`,
      };
    } catch (e) {
      return { healthy: false, detail: (e as Error).message };
    }
  }
}
