import { randomBytes } from "node:crypto";
import { V1MicroTime } from "@kubernetes/client-node";
import type { Logger } from "../producers/runtime/log.js";
import type { ElectionResource } from "./election-resource.js";
import { apiMessage, type Kube } from "./kube.js";

export type EventType = "Normal" | "Warning";

export interface ElectionEvent {
  readonly type: EventType;
  /** CamelCase, for programs: Registering, Certified, ApplyFailed... */
  readonly reason: string;
  /** What the controller did or saw, CamelCase too (events.k8s.io/v1's action). */
  readonly action: string;
  /** For people. */
  readonly note: string;
}

/**
 * Records events.k8s.io/v1 Events about an Election, as `kubectl describe election` and `kubectl
 * events` show them. An event that cannot be written is logged and forgotten: it never fails a
 * reconcile.
 */
export class EventRecorder {
  constructor(
    private readonly kube: Kube,
    private readonly controllerName: string,
    private readonly instance: string,
    private readonly log: Logger,
  ) {}

  async record(resource: ElectionResource, event: ElectionEvent): Promise<void> {
    const { namespace, name } = resource.metadata;
    const logged = { election: name, reason: event.reason, note: event.note };
    if (event.type === "Warning") this.log.warn("event", logged);
    else this.log.info("event", logged);
    try {
      await this.kube.events.createNamespacedEvent({
        namespace,
        body: {
          metadata: {
            name: `${name}.${Date.now().toString(16)}${randomBytes(3).toString("hex")}`,
            namespace,
          },
          eventTime: new V1MicroTime(),
          reportingController: this.controllerName,
          reportingInstance: this.instance,
          action: event.action,
          reason: event.reason,
          note: event.note.slice(0, 1024),
          type: event.type,
          regarding: {
            apiVersion: resource.apiVersion,
            kind: resource.kind,
            name,
            namespace,
            uid: resource.metadata.uid,
            resourceVersion: resource.metadata.resourceVersion,
          },
        },
      });
    } catch (e) {
      this.log.warn("could not record an event", { ...logged, error: apiMessage(e) });
    }
  }
}
