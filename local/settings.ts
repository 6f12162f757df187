import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { repoRoot } from "../versions.js";

/** Reads typed settings from an environment, collecting every bad value before failing. */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  string(name: string, fallback: string): string {
    const value = this.env[name];
    if (value === undefined || value === "") return fallback;
    return value;
  }

  port(name: string, fallback: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      this.problems.push(`${name}=${raw}: expected a TCP port from 1 to 65535`);
      return fallback;
    }
    return n;
  }

  positiveInt(name: string, fallback: number): number {
    return this.integerFrom(name, fallback, 1);
  }

  /** A count that may be 0 (0 usually meaning "none"). */
  wholeNumber(name: string, fallback: number): number {
    return this.integerFrom(name, fallback, 0);
  }

  private integerFrom(name: string, fallback: number, least: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < least) {
      this.problems.push(`${name}=${raw}: expected a whole number of at least ${least}`);
      return fallback;
    }
    return n;
  }

  nonNegativeNumber(name: string, fallback: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) {
      this.problems.push(`${name}=${raw}: expected a number of at least 0`);
      return fallback;
    }
    return n;
  }

  /** A JVM memory size such as 512m or 1g. */
  heap(name: string, fallback: string): string {
    const raw = this.env[name];
    if (raw === undefined || raw === "") return fallback;
    if (!/^[1-9]\d*[mMgG]$/.test(raw)) {
      this.problems.push(`${name}=${raw}: expected a JVM memory size such as 512m or 1g`);
      return fallback;
    }
    return raw;
  }

  url(name: string, fallback: string, protocols: readonly string[]): string {
    const raw = this.string(name, fallback);
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push(`${name}=${raw}: expected a ${protocols.join(" or ")} URL`);
      }
    } catch {
      this.problems.push(`${name}=${raw}: not a URL`);
    }
    return raw;
  }

  /** Throws one error naming every bad value, so a user fixes them all in one go. */
  done(what: string): void {
    if (this.problems.length > 0) {
      throw new ConfigError(`invalid ${what} configuration:\n  ${this.problems.join("\n  ")}`);
    }
  }
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Where the local stack listens, keeps its data and logs, and caches its downloads. */
export interface StackSettings {
  readonly stackDir: string;
  readonly dataDir: string;
  readonly logDir: string;
  readonly cacheDir: string;
  readonly mavenRepo: string | undefined;
  readonly kafka: { readonly port: number; readonly controllerPort: number; readonly heap: string };
  readonly registry: {
    readonly port: number;
    readonly managementPort: number;
    readonly heap: string;
    readonly java: string | undefined;
  };
  readonly postgres: {
    readonly port: number;
    readonly user: string;
    readonly password: string;
    readonly database: string;
    readonly registryDatabase: string;
  };
  readonly flink: { readonly port: number; readonly slots: number; readonly heap: string };
}

export function stackSettings(env: NodeJS.ProcessEnv = process.env): StackSettings {
  const r = new EnvReader(env);
  const stackDir = resolve(r.string("LIVETALLY_STACK_DIR", join(repoRoot, ".stack")));
  const settings: StackSettings = {
    stackDir,
    dataDir: resolve(r.string("LIVETALLY_DATA_DIR", join(stackDir, "data"))),
    logDir: resolve(r.string("LIVETALLY_LOG_DIR", join(stackDir, "logs"))),
    cacheDir: resolve(r.string("LIVETALLY_CACHE_DIR", join(homedir(), ".cache", "livetally"))),
    mavenRepo: env.LIVETALLY_MAVEN_REPO || undefined,
    kafka: {
      port: r.port("LIVETALLY_KAFKA_PORT", 29092),
      controllerPort: r.port("LIVETALLY_KAFKA_CONTROLLER_PORT", 29093),
      heap: r.heap("LIVETALLY_KAFKA_HEAP", "512m"),
    },
    registry: {
      port: r.port("LIVETALLY_REGISTRY_PORT", 28080),
      managementPort: r.port("LIVETALLY_REGISTRY_MANAGEMENT_PORT", 29000),
      heap: r.heap("LIVETALLY_REGISTRY_HEAP", "384m"),
      java: env.LIVETALLY_REGISTRY_JAVA || undefined,
    },
    postgres: {
      port: r.port("LIVETALLY_PG_PORT", 25432),
      user: r.string("LIVETALLY_PG_USER", "livetally"),
      password: r.string("LIVETALLY_PG_PASSWORD", "livetally"),
      database: r.string("LIVETALLY_PG_DATABASE", "livetally"),
      registryDatabase: r.string("LIVETALLY_PG_REGISTRY_DATABASE", "registry"),
    },
    flink: {
      port: r.port("LIVETALLY_FLINK_PORT", 28081),
      slots: r.positiveInt("LIVETALLY_FLINK_SLOTS", 4),
      heap: r.heap("LIVETALLY_FLINK_HEAP", "1g"),
    },
  };
  r.done("local stack");
  return settings;
}
