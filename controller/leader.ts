import { V1MicroTime, type V1Lease } from "@kubernetes/client-node";
import type { Logger } from "../producers/runtime/log.js";
import { sleep } from "../producers/runtime/waiting.js";
import { apiMessage, isConflict, isNotFound, type Kube } from "./kube.js";

export interface LeaseSettings {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly durationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

/** What a Lease said when this process last saw it change, and when (by this process's clock). */
interface Observed {
  readonly holder: string;
  readonly renewTime: string;
  readonly at: number;
}

const timeOf = (t: Date | string | undefined) => (t === undefined ? "" : new Date(t).toISOString());

/**
 * Leader election on a coordination.k8s.io Lease, as client-go's: a candidate takes the Lease when
 * nobody holds it or its holder has not renewed it for its duration, as measured on the candidate's
 * own clock from when it last saw the Lease change (so clocks need not agree); the leader renews it
 * every retry period and stops leading if it cannot for the renew deadline. Every write carries the
 * resourceVersion it read, so of two candidates exactly one succeeds.
 */
export class LeaderElector {
  private observed: Observed | undefined;
  private leading = false;
  private stopping = false;

  constructor(
    private readonly kube: Kube,
    private readonly settings: LeaseSettings,
    private readonly log: Logger,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * Waits until this process holds the Lease, then keeps renewing it; resolves when leadership is
   * lost (the renew deadline passed) or given up (stop). `onLeading` runs once the Lease is held.
   */
  async run(onLeading: () => void): Promise<"lost" | "stopped"> {
    const { retryPeriodMs, renewDeadlineMs } = this.settings;
    while (!this.stopping && !(await this.tryAcquireOrRenew())) await sleep(retryPeriodMs);
    if (this.stopping) return "stopped";
    this.leading = true;
    this.log.info("leading", { lease: this.settings.name, identity: this.settings.identity });
    onLeading();
    let renewedAt = Date.now();
    while (!this.stopping) {
      await sleep(retryPeriodMs);
      if (this.stopping) break;
      if (await this.tryAcquireOrRenew()) {
        renewedAt = Date.now();
      } else if (Date.now() - renewedAt > renewDeadlineMs) {
        this.leading = false;
        this.log.error("lost the lease: could not renew it within the renew deadline", {
          lease: this.settings.name,
          renewDeadlineMs,
        });
        return "lost";
      }
    }
    return "stopped";
  }

  /** Stops trying; a held Lease is released, so a standby need not wait out its duration. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.read();
      if (lease?.spec?.holderIdentity !== this.settings.identity) return;
      await this.kube.leases.replaceNamespacedLease({
        name: this.settings.name,
        namespace: this.settings.namespace,
        body: {
          ...lease,
          spec: { ...lease.spec, holderIdentity: "", leaseDurationSeconds: 1, renewTime: new V1MicroTime() },
        },
      });
      this.log.info("released the lease", { lease: this.settings.name });
    } catch (e) {
      this.log.warn("could not release the lease; a standby takes over when it expires", {
        error: apiMessage(e),
      });
    }
  }

  private async read(): Promise<V1Lease | undefined> {
    try {
      return await this.kube.leases.readNamespacedLease({
        name: this.settings.name,
        namespace: this.settings.namespace,
      });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { name, namespace, identity, durationMs } = this.settings;
    const now = new V1MicroTime();
    const spec = (acquireTime: Date, transitions: number) => ({
      holderIdentity: identity,
      leaseDurationSeconds: Math.round(durationMs / 1000),
      acquireTime: new V1MicroTime(acquireTime),
      renewTime: now,
      leaseTransitions: transitions,
    });
    try {
      const lease = await this.read();
      if (lease === undefined) {
        await this.kube.leases.createNamespacedLease({
          namespace,
          body: { metadata: { name, namespace }, spec: spec(now, 0) },
        });
        return true;
      }
      const holder = lease.spec?.holderIdentity ?? "";
      const renewTime = timeOf(lease.spec?.renewTime);
      if (this.observed?.holder !== holder || this.observed.renewTime !== renewTime) {
        this.observed = { holder, renewTime, at: Date.now() };
      }
      const heldByOther = holder !== "" && holder !== identity;
      const lastsMs = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
      if (heldByOther && this.observed.at + lastsMs > Date.now()) return false;
      const mine = holder === identity;
      const transitions = lease.spec?.leaseTransitions ?? 0;
      await this.kube.leases.replaceNamespacedLease({
        name,
        namespace,
        body: {
          ...lease,
          spec: spec(
            mine && lease.spec?.acquireTime ? new Date(lease.spec.acquireTime) : now,
            mine ? transitions : transitions + 1,
          ),
        },
      });
      if (!mine) this.log.info("took the lease", { lease: name, from: holder || "(nobody)" });
      return true;
    } catch (e) {
      // Another candidate wrote first: it holds the Lease now.
      if (isConflict(e)) return false;
      this.log.warn("could not acquire or renew the lease", { lease: name, error: apiMessage(e) });
      return false;
    }
  }
}
