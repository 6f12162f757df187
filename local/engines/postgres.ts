import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import pg from "pg";
import type { Engine, Health, StackContext } from "../engine.js";
import type { LaunchSpec } from "../processes.js";

/** PostgreSQL from Debian's packages, in the stack's own data directory and port. */
export class PostgresEngine implements Engine {
  readonly name = "postgres";
  readonly startTimeoutMs = 60_000;
  // SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to disconnect.
  readonly stopSignal = "SIGINT" as const;
  readonly dependsOn = [];

  constructor(private readonly ctx: StackContext) {}

  get port(): number {
    return this.ctx.settings.postgres.port;
  }

  private get dataDir(): string {
    return join(this.home(), "data");
  }

  private get socketDir(): string {
    return join(this.home(), "run");
  }

  /**
   * PostgreSQL's own directory. As root the server runs as `postgres`, which cannot reach a checkout
   * below a private directory such as /root; then it lives under /var/tmp, one per stack directory.
   */
  private home(): string {
    const inStack = join(this.ctx.settings.dataDir, "postgres");
    if (!this.owner() || this.postgresCanReach(this.ctx.settings.stackDir)) return inStack;
    const tag = createHash("sha256").update(this.ctx.settings.stackDir).digest("hex").slice(0, 12);
    return join("/var/tmp", `livetally-postgres-${tag}`);
  }

  private postgresCanReach(dir: string): boolean {
    mkdirSync(dir, { recursive: true });
    return spawnSync("runuser", ["-u", "postgres", "--", "test", "-x", dir]).status === 0;
  }

  /** The newest PostgreSQL installed under /usr/lib/postgresql, or the one named by LIVETALLY_PG_BIN. */
  private binDir(): string | undefined {
    const named = process.env.LIVETALLY_PG_BIN;
    if (named) return existsSync(join(named, "postgres")) ? named : undefined;
    const root = "/usr/lib/postgresql";
    if (!existsSync(root)) return undefined;
    const majors = readdirSync(root)
      .filter(
        (v) => existsSync(join(root, v, "bin", "postgres")) && existsSync(join(root, v, "bin", "initdb")),
      )
      .sort((a, b) => Number(b) - Number(a));
    return majors[0] === undefined ? undefined : join(root, majors[0], "bin");
  }

  /** PostgreSQL refuses to run as root; as root, the stack runs it as the `postgres` user. */
  private owner(): { uid: number; gid: number } | undefined {
    if (process.getuid?.() !== 0) return undefined;
    this.postgresUser ??= {
      uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()),
      gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()),
    };
    return this.postgresUser;
  }

  private postgresUser: { uid: number; gid: number } | undefined;

  missingPrerequisites(): string[] {
    const missing: string[] = [];
    if (!this.binDir()) {
      missing.push(
        "PostgreSQL server binaries (initdb, postgres) under /usr/lib/postgresql; apt-get install postgresql",
      );
    }
    if (process.getuid?.() === 0) {
      try {
        execFileSync("id", ["-u", "postgres"], { stdio: "ignore" });
      } catch {
        missing.push("a `postgres` system user to run PostgreSQL as (the postgresql package creates it)");
      }
    }
    return missing;
  }

  private ownDir(dir: string): void {
    const owner = this.owner();
    mkdirSync(dirname(dir), { recursive: true });
    if (owner) chownSync(dirname(dir), owner.uid, owner.gid);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (owner) chownSync(dir, owner.uid, owner.gid);
  }

  async prepare(step: (what: string) => void): Promise<void> {
    this.ownDir(this.socketDir);
    if (existsSync(join(this.dataDir, "PG_VERSION"))) return;
    step("initialising the PostgreSQL data directory");
    const bin = this.binDir();
    if (!bin) throw new Error("PostgreSQL binaries not found");
    rmSync(this.dataDir, { recursive: true, force: true });
    this.ownDir(this.dataDir);
    const owner = this.owner();
    const pwFile = join(this.socketDir, "initdb-password");
    writeFileSync(pwFile, `${this.ctx.settings.postgres.password}\n`, { mode: 0o600 });
    if (owner) chownSync(pwFile, owner.uid, owner.gid);
    try {
      execFileSync(
        join(bin, "initdb"),
        [
          "-D",
          this.dataDir,
          "-U",
          this.ctx.settings.postgres.user,
          `--pwfile=${pwFile}`,
          "--auth-local=trust",
          "--auth-host=scram-sha-256",
          "--encoding=UTF8",
          "--no-locale",
        ],
        {
          stdio: ["ignore", "pipe", "pipe"],
          cwd: this.socketDir,
          ...(owner ?? {}),
        },
      );
    } catch (e) {
      const stderr = String((e as { stderr?: Buffer }).stderr ?? "");
      throw new Error(`initdb failed: ${stderr.trim()}`);
    } finally {
      rmSync(pwFile, { force: true });
    }
  }

  launchSpec(): LaunchSpec {
    const bin = this.binDir();
    if (!bin) throw new Error("PostgreSQL binaries not found");
    return {
      command: join(bin, "postgres"),
      args: [
        "-D",
        this.dataDir,
        "-p",
        String(this.port),
        "-k",
        this.socketDir,
        "-c",
        "listen_addresses=127.0.0.1",
        // A million-voter election writes about a gigabyte: buffers that hold the hot tables and WAL room
        // for the whole run keep backends from writing pages themselves and checkpoints from starting
        // mid-election (each one re-logging every page it touches in full).
        "-c",
        "shared_buffers=512MB",
        "-c",
        "max_wal_size=4GB",
        "-c",
        "max_connections=200",
        // Timestamps without a zone (as Flink's JDBC sink writes them) are UTC, as in the cluster.
        "-c",
        "timezone=UTC",
      ],
      cwd: this.socketDir,
      logFile: join(this.ctx.settings.logDir, "postgres.log"),
      pidFile: join(this.ctx.settings.stackDir, "run", "postgres.pid"),
      ...(this.owner() ?? {}),
    };
  }

  private client(database: string): pg.Client {
    const { user, password } = this.ctx.settings.postgres;
    return new pg.Client({
      host: "127.0.0.1",
      port: this.port,
      user,
      password,
      database,
      connectionTimeoutMillis: 5000,
    });
  }

  async probe(): Promise<Health> {
    const client = this.client("postgres");
    try {
      await client.connect();
      const { rows } = await client.query<{ server_version: string }>("SHOW server_version");
      return { healthy: true, version: rows[0]?.server_version ?? "unknown", detail: `port ${this.port}` };
    } catch (e) {
      return { healthy: false, detail: (e as Error).message };
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async afterHealthy(): Promise<void> {
    const { database, registryDatabase } = this.ctx.settings.postgres;
    const client = this.client("postgres");
    await client.connect();
    try {
      for (const name of [database, registryDatabase]) {
        const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      }
    } finally {
      await client.end();
    }
  }
}
