import { readFileSync } from "node:fs";
import { CommandError } from "./command-error.js";

export interface EnvReaderOptions {
  /**
   * Settings that may come from a file instead: NAME_FILE names it (a mounted Kubernetes Secret,
   * say), so the value stays out of the environment of the process and of its children. The
   * content is trimmed; a message about such a value names the file, never the value.
   */
  readonly fromFiles?: readonly string[];
}

/** Reads typed settings from an environment, collecting every bad value before failing. */
export class EnvReader {
  private readonly problems: string[] = [];
  private readonly env: NodeJS.ProcessEnv;
  /** The file each setting read from a file came from. */
  private readonly files = new Map<string, string>();
  private readonly fileBacked: ReadonlySet<string>;

  constructor(env: NodeJS.ProcessEnv, options: EnvReaderOptions = {}) {
    this.env = { ...env };
    this.fileBacked = new Set(options.fromFiles ?? []);
    for (const name of this.fileBacked) {
      const path = env[`${name}_FILE`];
      if (path === undefined || path === "") continue;
      if (env[name] !== undefined && env[name] !== "") {
        this.problems.push(`${name} and ${name}_FILE: set one, not both`);
        continue;
      }
      let content: string;
      try {
        content = readFileSync(path, "utf8").trim();
      } catch (e) {
        this.problems.push(
          `${name}_FILE=${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? e})`,
        );
        continue;
      }
      if (content === "") {
        this.problems.push(`${name}_FILE=${path}: the file is empty`);
        continue;
      }
      this.env[name] = content;
      this.files.set(name, path);
    }
  }

  /** How a message names a value: NAME=value, or only the file it was read from. */
  private show(name: string, raw: string): string {
    const file = this.files.get(name);
    return file === undefined ? `${name}=${raw}` : `${name} (read from ${name}_FILE=${file})`;
  }

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
      this.problems.push(`${this.show(name, raw)}: expected a TCP port from 1 to 65535`);
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
      this.problems.push(`${this.show(name, raw)}: expected a whole number of at least ${least}`);
      return fallback;
    }
    return n;
  }

  nonNegativeNumber(name: string, fallback: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) {
      this.problems.push(`${this.show(name, raw)}: expected a number of at least 0`);
      return fallback;
    }
    return n;
  }

  /** A JVM memory size such as 512m or 1g. */
  heap(name: string, fallback: string): string {
    const raw = this.env[name];
    if (raw === undefined || raw === "") return fallback;
    if (!/^[1-9]\d*[mMgG]$/.test(raw)) {
      this.problems.push(`${this.show(name, raw)}: expected a JVM memory size such as 512m or 1g`);
      return fallback;
    }
    return raw;
  }

  /** A value that must be set; its absence is a problem like any bad value. */
  required(name: string, what: string): string {
    const value = this.env[name];
    if (value === undefined || value === "") {
      const names = this.fileBacked.has(name) ? `${name} (or ${name}_FILE)` : name;
      this.problems.push(`${names}: not set (expected ${what})`);
      return "";
    }
    return value;
  }

  /** A list of host:port addresses separated by commas, as Kafka clients take bootstrap servers. */
  hostPorts(name: string, fallback?: string): string[] {
    const raw =
      fallback === undefined ? this.required(name, "host:port[,host:port...]") : this.string(name, fallback);
    if (raw === "") return [];
    const list = raw
      .split(",")
      .map((b) => b.trim())
      .filter((b) => b !== "");
    const bad = list.filter((b) => !/^[^\s:]+:\d{1,5}$/.test(b));
    if (list.length === 0 || bad.length > 0)
      this.problems.push(`${this.show(name, raw)}: expected host:port[,host:port...]`);
    return list;
  }

  /** A URL of one of the protocols; required when there is no fallback. */
  url(name: string, fallback: string | undefined, protocols: readonly string[]): string {
    const what = `a ${protocols.join(" or ")} URL`;
    const raw = fallback === undefined ? this.required(name, what) : this.string(name, fallback);
    if (raw === "") return raw;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol))
        this.problems.push(`${this.show(name, raw)}: expected ${what}`);
    } catch {
      this.problems.push(`${this.show(name, raw)}: not a URL`);
    }
    return raw;
  }

  /** A switch: 1 or true is on, 0 or false off. */
  flag(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === "") return fallback;
    if (raw === "1" || raw === "true") return true;
    if (raw === "0" || raw === "false") return false;
    this.problems.push(`${this.show(name, raw)}: expected 1 or 0 (true or false)`);
    return fallback;
  }

  /** A problem found across values (two that must be set together, say), reported with the rest. */
  problem(text: string): void {
    this.problems.push(text);
  }

  /** Throws one error naming every bad value, so a user fixes them all in one go. */
  done(what: string): void {
    if (this.problems.length > 0) {
      throw new ConfigError(`invalid ${what} configuration:\n  ${this.problems.join("\n  ")}`);
    }
  }
}

/** Configuration an operator must fix: every bad value, one line each. */
export class ConfigError extends CommandError {
  override readonly name = "ConfigError";
}
