import type { KubernetesObject } from "@kubernetes/client-node";
import type { Kafka } from "kafkajs";
import type pg from "pg";
import { ElectionInUseError, removeElectionData, type Removal } from "../producers/setup/removal.js";
import type { SchemaRegistryClient } from "../producers/runtime/registry.js";
import { electionNames } from "../schemas/election/names.js";
import { ownedKinds, ownedSelector, type OwnedKind } from "./desired.js";
import { isNotFound, isUnservedKind, type Kube } from "./kube.js";

/** Where a removal stands: done, or waiting for something, said for the Election's events. */
export type RemovalStep =
  { readonly done: true; readonly removal: Removal } | { readonly done: false; readonly waitingFor: string };

const kind = (name: OwnedKind["kind"]) => ownedKinds.find((k) => k.kind === name) as OwnedKind;

/** What consumes or writes the election's topics: stopped first, and waited for. */
const WORKLOADS = [kind("Deployment"), kind("Job"), kind("FlinkDeployment")];
/** With Strimzi, deleting a KafkaTopic deletes its topic; stopped before the data goes, so none comes back. */
const TOPICS = [kind("KafkaTopic")];

/**
 * Removes a deleted Election's data before its finalizer lets it go: first its workloads (the voting
 * Deployment, the registration Job, the tally FlinkDeployment, whose operator cancels the job), with
 * their pods, then its KafkaTopics, then what its setup made outside Kubernetes, as `make
 * election-remove` does: its consumer groups, topics, registry subjects and database schema. Each
 * call takes the next step it can and says what it waits for; the caller calls again.
 */
export class ElectionRemoval {
  constructor(
    private readonly kube: Kube,
    private readonly kafka: Kafka,
    private readonly registry: SchemaRegistryClient,
    private readonly ownerDb: pg.Pool,
  ) {}

  async step(namespace: string, election: string): Promise<RemovalStep> {
    for (const stage of [WORKLOADS, TOPICS]) {
      const left = await this.deleteOwned(namespace, election, stage);
      if (left.length > 0) return { done: false, waitingFor: `${left.join(", ")} to be deleted` };
    }
    try {
      const removal = await removeElectionData(
        this.kafka,
        this.registry,
        this.ownerDb,
        electionNames(election),
      );
      return { done: true, removal };
    } catch (e) {
      if (e instanceof ElectionInUseError) return { done: false, waitingFor: e.message };
      throw e;
    }
  }

  /** Deletes (in the foreground: with their pods) what is left of these kinds; names what is left. */
  private async deleteOwned(
    namespace: string,
    election: string,
    kinds: readonly OwnedKind[],
  ): Promise<string[]> {
    const left: string[] = [];
    for (const k of kinds) {
      let items: KubernetesObject[];
      try {
        items = (await this.kube.rest.list(k.apiVersion, k.kind, namespace, ownedSelector(election))).items;
      } catch (e) {
        // A kind the cluster does not serve (no such operator) holds nothing of the election.
        if (isUnservedKind(e)) continue;
        throw e;
      }
      for (const o of items) {
        const name = o.metadata?.name ?? "";
        left.push(`${k.kind} ${name}`);
        if (o.metadata?.deletionTimestamp !== undefined) continue;
        try {
          await this.kube.rest.delete(
            { apiVersion: k.apiVersion, kind: k.kind, metadata: { name, namespace } },
            "Foreground",
          );
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
    return left;
  }
}
