/** The security linters `make validate` runs over every rendering. */
export type Linter = "checkov" | "kube-score";

/** One thing a linter holds against one object. */
export interface Finding {
  readonly linter: Linter;
  /** The linter's id of the check: CKV_K8S_11, container-resources. */
  readonly check: string;
  readonly kind: string;
  readonly name: string;
  /** Checkov fails a check; kube-score grades it critical or warns. */
  readonly grade: "failed" | "critical" | "warning";
  /** What the linter says, with the container it is about where it names one. */
  readonly message: string;
}

/** kind/name, as the exceptions name objects. */
export const objectRef = (f: Pick<Finding, "kind" | "name">) => `${f.kind}/${f.name}`;

export function describeFinding(f: Finding): string {
  return `${f.linter} ${f.check} (${f.grade}) ${objectRef(f)}: ${f.message}`;
}
