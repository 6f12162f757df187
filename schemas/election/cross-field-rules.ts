import type {
  ElectionCandidate,
  ElectionRegion,
  ElectionSpec,
  ElectionVoting,
} from "../generated/election.js";
import { fieldPath } from "./field-path.js";

/**
 * The TypeScript twin of each CEL rule (x-kubernetes-validations) of the Election schema, so a document
 * is refused here for the same reasons the API server refuses it. A twin is known by where its rule sits
 * in the schema and by the rule's message; cross-field-rules.test.ts checks that every rule has its twin
 * and every twin its rule.
 *
 * The API server can only say which list or object broke a rule; a twin names the very field.
 */
export interface CrossFieldRule {
  /** Where the rule sits in the schema: `spec.regions` is the list, `spec.regions[*]` each region. */
  readonly at: string;
  /** The rule's message, word for word. */
  readonly message: string;
  /** The fields of the rule's object it reads, when not all of them. */
  readonly reads?: readonly string[];
  /** Where the object breaks the rule, each with what makes it so, if that says more than the message. */
  readonly check: (self: never, path: string) => readonly RuleBreach[];
}

export interface RuleBreach {
  readonly path: string;
  readonly detail?: string;
}

/** Every item whose key an earlier item already has, at the key's field. */
function duplicates<T>(items: readonly T[], field: keyof T & string, path: string): RuleBreach[] {
  const first = new Map<unknown, number>();
  const breaches: RuleBreach[] = [];
  items.forEach((item, i) => {
    const key = item[field];
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else {
      breaches.push({
        path: fieldPath(fieldPath(path, i), field),
        detail: `${JSON.stringify(key)} is also ${fieldPath(fieldPath(path, earlier), field)}`,
      });
    }
  });
  return breaches;
}

// The bounds the CEL rule writes out: CEL in Kubernetes has no abs().
const SHARES_LOW = 0.999999;
const SHARES_HIGH = 1.000001;

export const crossFieldRules: readonly CrossFieldRule[] = [
  {
    at: "spec.candidates",
    message: "candidate ids must be unique",
    check: (candidates: readonly ElectionCandidate[], path) => duplicates(candidates, "id", path),
  },
  {
    at: "spec.regions[*]",
    message: "some candidate must have a weight above 0",
    check: (region: ElectionRegion, path) =>
      Object.values(region.preferences).some((weight) => weight > 0)
        ? []
        : [{ path: fieldPath(path, "preferences") }],
  },
  {
    at: "spec.regions",
    message: "region states must be unique",
    check: (regions: readonly ElectionRegion[], path) => duplicates(regions, "state", path),
  },
  {
    at: "spec.regions",
    message: "region codes must be unique",
    check: (regions: readonly ElectionRegion[], path) => duplicates(regions, "code", path),
  },
  {
    at: "spec.regions",
    message: "electorate shares must sum to 1",
    check: (regions: readonly ElectionRegion[], path) => {
      const sum = regions.reduce((total, r) => total + r.electorateShare, 0);
      if (sum >= SHARES_LOW && sum <= SHARES_HIGH) return [];
      return [{ path, detail: `they sum to ${Number(sum.toFixed(6))}` }];
    },
  },
  {
    at: "spec.voting",
    message: "must be after opensAt",
    check: (voting: ElectionVoting, path) => {
      if (voting.opensAt === undefined || voting.closesAt === undefined) return [];
      const opens = Date.parse(voting.opensAt);
      const closes = Date.parse(voting.closesAt);
      // A time that does not parse is the format's problem, reported as such.
      if (Number.isNaN(opens) || Number.isNaN(closes) || closes > opens) return [];
      return [{ path: fieldPath(path, "closesAt"), detail: `it opens at ${voting.opensAt}` }];
    },
  },
  {
    at: "spec",
    message: "preferences must name known candidates",
    reads: ["candidates", "regions"],
    check: (spec: ElectionSpec, path) => {
      const ids = new Set(spec.candidates.map((c) => c.id));
      const regions = fieldPath(path, "regions");
      return spec.regions.flatMap((region, i) =>
        Object.keys(region.preferences)
          .filter((id) => !ids.has(id))
          .map((id) => ({ path: fieldPath(fieldPath(fieldPath(regions, i), "preferences"), id) })),
      );
    },
  },
];
