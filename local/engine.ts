import type { Versions } from "../versions.js";
import type { LaunchSpec } from "./processes.js";
import type { StackSettings } from "./settings.js";

export interface Health {
  readonly healthy: boolean;
  /** The version the running engine reports about itself, when it is up. */
  readonly version?: string;
  readonly detail: string;
}

export interface StackContext {
  readonly settings: StackSettings;
  readonly versions: Versions;
}

/** One engine of the local stack: how to install it, start it and tell that it is healthy. */
export interface Engine {
  readonly name: string;
  readonly port: number;
  readonly startTimeoutMs: number;
  /** The signal that makes this engine shut down cleanly and promptly. */
  readonly stopSignal: NodeJS.Signals;
  /** Engines that must be healthy before this one starts. */
  readonly dependsOn: readonly string[];
  /** Missing prerequisites, each named with how to get it. */
  missingPrerequisites(): string[];
  /** Downloads and initialises whatever is missing; idempotent. */
  prepare(step: (what: string) => void): Promise<void>;
  launchSpec(): LaunchSpec;
  probe(): Promise<Health>;
  /** Runs once the engine has started and is healthy (creating databases, say); idempotent. */
  afterHealthy?(say: (what: string) => void): Promise<void>;
  /**
   * Runs at every `make stack-up` once the engine is healthy, just started or already running: brings
   * what it serves up to date with the checkout (the API server's CRDs and RBAC); idempotent.
   */
  refresh?(say: (what: string) => void): Promise<void>;
  /**
   * Whether what the engine carries for the open elections is sound (Flink: their tally jobs run),
   * for `make stack-status`; an engine that answers its probe but fails this is unhealthy there.
   */
  workload?(): Promise<Health>;
  /** Why the running process is out of date and must be restarted (its code was rebuilt), if it is. */
  outdated?(): string | undefined;
}
