import type { ElectionStatusCondition } from "../schemas/generated/election-status.js";

/** The conditions an Election's status carries, in the order an election meets them. */
export const conditionTypes = ["Provisioned", "Registered", "VotingClosed", "Tallied", "Certified"] as const;
export type ConditionType = (typeof conditionTypes)[number];

export interface ConditionValue {
  readonly type: ConditionType;
  readonly status: ElectionStatusCondition["status"];
  readonly reason: string;
  readonly message: string;
}

/**
 * The conditions as they now stand: lastTransitionTime moves only when a condition's status does,
 * so it says since when a condition has held; reason and message follow what was last observed.
 */
export function mergeConditions(
  previous: readonly ElectionStatusCondition[] | undefined,
  now: readonly ConditionValue[],
  generation: number,
  at: string,
): ElectionStatusCondition[] {
  return now.map((c) => {
    const before = previous?.find((p) => p.type === c.type);
    const lastTransitionTime = before && before.status === c.status ? before.lastTransitionTime : at;
    return { ...c, observedGeneration: generation, lastTransitionTime };
  });
}

export function conditionOf(
  conditions: readonly ElectionStatusCondition[] | undefined,
  type: ConditionType,
): ElectionStatusCondition | undefined {
  return conditions?.find((c) => c.type === type);
}
