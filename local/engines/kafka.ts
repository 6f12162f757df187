import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { mavenProperties, repoRoot } from "../../versions.js";
import type { Engine, Health, StackContext } from "../engine.js";
import type { LaunchSpec } from "../processes.js";
import { onPath, runMaven } from "../toolchain.js";

/** Apache Kafka in KRaft combined mode (broker and controller in one JVM), from Maven Central jars. */
export class KafkaEngine implements Engine {
  readonly name = "kafka";
  readonly startTimeoutMs = 90_000;
  readonly stopSignal = "SIGTERM" as const;
  readonly dependsOn = [];

  constructor(private readonly ctx: StackContext) {}

  get port(): number {
    return this.ctx.settings.kafka.port;
  }

  private get version(): string {
    return this.ctx.versions.KAFKA_VERSION;
  }

  private get libDir(): string {
    return join(this.ctx.settings.cacheDir, `kafka-${this.version}`, "libs");
  }

  private get dataDir(): string {
    return join(this.ctx.settings.dataDir, "kafka");
  }

  private get configDir(): string {
    return join(this.ctx.settings.stackDir, "config", "kafka");
  }

  missingPrerequisites(): string[] {
    const missing: string[] = [];
    if (!onPath("java")) missing.push("java (Java 17 or newer; apt-get install openjdk-17-jre-headless)");
    if (!onPath("mvn"))
      missing.push("mvn (Apache Maven, to resolve Kafka from Maven Central; apt-get install maven)");
    return missing;
  }

  async prepare(step: (what: string) => void): Promise<void> {
    if (!existsSync(join(this.libDir, `kafka_2.13-${this.version}.jar`))) {
      step(`resolving Kafka ${this.version} from Maven Central`);
      await runMaven(
        [
          ...mavenProperties(this.ctx.versions),
          "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
          "-DincludeScope=runtime",
          `-DoutputDirectory=${this.libDir}`,
        ],
        join(repoRoot, "local", "kafka"),
        join(this.ctx.settings.logDir, "maven-kafka.log"),
        this.ctx.settings.mavenRepo,
      );
    }
    this.writeConfig();
    if (!existsSync(join(this.dataDir, "meta.properties"))) {
      step("formatting Kafka storage");
      mkdirSync(this.dataDir, { recursive: true });
      // A Kafka cluster id is 16 random bytes in unpadded URL-safe base64.
      const clusterId = randomBytes(16).toString("base64url");
      execFileSync(
        "java",
        [
          ...this.jvmLogging(),
          "-cp",
          `${this.libDir}/*`,
          "kafka.tools.StorageTool",
          "format",
          "-t",
          clusterId,
          "-c",
          join(this.configDir, "server.properties"),
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
    }
  }

  private writeConfig(): void {
    const { port, controllerPort } = this.ctx.settings.kafka;
    mkdirSync(this.configDir, { recursive: true });
    writeFileSync(
      join(this.configDir, "server.properties"),
      [
        "process.roles=broker,controller",
        "node.id=1",
        `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
        `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=PLAINTEXT",
        `log.dirs=${this.dataDir}`,
        // One broker: internal topics cannot have more than one replica.
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(this.configDir, "log4j2.properties"),
      [
        "rootLogger.level=INFO",
        "rootLogger.appenderRef.out.ref=out",
        "appender.out.type=Console",
        "appender.out.name=out",
        "appender.out.layout.type=PatternLayout",
        "appender.out.layout.pattern=[%d] %p %m (%c)%n",
        "logger.state.name=state.change.logger",
        "logger.state.level=WARN",
        "",
      ].join("\n"),
    );
  }

  private jvmLogging(): string[] {
    return [`-Dlog4j2.configurationFile=${join(this.configDir, "log4j2.properties")}`];
  }

  launchSpec(): LaunchSpec {
    const heap = this.ctx.settings.kafka.heap;
    return {
      command: "java",
      args: [
        `-Xms${heap}`,
        `-Xmx${heap}`,
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        // C1 only. C2 spent some 20 CPU-seconds compiling the broker during a fresh stack's first
        // million-voter election, near a tenth of what the whole election costs the two cores; the
        // request threads run about a third slower on C1 code, 3-4 CPU-seconds an election.
        "-XX:TieredStopAtLevel=1",
        ...this.jvmLogging(),
        "-cp",
        `${this.libDir}/*`,
        "kafka.Kafka",
        join(this.configDir, "server.properties"),
      ],
      cwd: this.ctx.settings.stackDir,
      logFile: join(this.ctx.settings.logDir, "kafka.log"),
      pidFile: join(this.ctx.settings.stackDir, "run", "kafka.pid"),
    };
  }

  async probe(): Promise<Health> {
    const kafka = new Kafka({
      clientId: "livetally-stack",
      brokers: [`127.0.0.1:${this.port}`],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return {
        healthy: cluster.brokers.length > 0 && cluster.controller !== null,
        version: this.version,
        detail: `cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)`,
      };
    } catch (e) {
      return { healthy: false, detail: (e as Error).message };
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
