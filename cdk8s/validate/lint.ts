import type { K8sObject } from "../app.js";
import type { Profile } from "../config.js";
import { toYaml } from "../synth.js";
import { runCheckov } from "./checkov.js";
import { describeFinding, objectRef, type Finding } from "./findings.js";
import { runKubeScore } from "./kube-score.js";
import { lintExceptions, type LintException } from "./lint-exceptions.js";
import { KUBERNETES_VERSION } from "./schemas.js";

/** What the linters are run over: a profile's synthesis, or the chart rendered with a profile's values. */
export interface Rendering {
  readonly name: string;
  /** The profile it is (the default values are the kind profile's). */
  readonly profile: Profile;
  readonly objects: readonly K8sObject[];
}

export interface LintCounts {
  readonly checkovPassed: number;
  readonly checkovFailed: number;
  readonly kubeScoreCritical: number;
  readonly kubeScoreWarning: number;
}

export interface LintResult {
  /** What the linters reported, exceptions included. */
  readonly counts: LintCounts;
  /** Findings an exception covers. */
  readonly excepted: number;
  /** Findings no exception covers: each one fails `make validate`. */
  readonly errors: readonly string[];
  /** The exceptions that covered something here. */
  readonly used: ReadonlySet<LintException>;
}

export function covers(e: LintException, f: Finding, profile: Profile): boolean {
  return (
    e.linter === f.linter &&
    e.check === f.check &&
    e.objects.includes(objectRef(f)) &&
    (e.profile === undefined || e.profile === profile) &&
    (e.message === undefined || e.message.test(f.message))
  );
}

/** Applies the exceptions to a rendering's findings. */
export function judge(
  findings: readonly Finding[],
  profile: Profile,
  exceptions: readonly LintException[] = lintExceptions,
): { errors: string[]; excepted: number; used: Set<LintException> } {
  const used = new Set<LintException>();
  const errors: string[] = [];
  for (const f of findings) {
    const e = exceptions.find((x) => covers(x, f, profile));
    if (e) used.add(e);
    else errors.push(describeFinding(f));
  }
  return { errors, excepted: findings.length - errors.length, used };
}

/** kube-score takes the Kubernetes version as vMAJOR.MINOR. */
const kubeScoreVersion = KUBERNETES_VERSION.split(".").slice(0, 2).join(".");

/** Runs Checkov and kube-score over a rendering and judges what they find. */
export function lint(r: Rendering, exceptions: readonly LintException[] = lintExceptions): LintResult {
  const yaml = toYaml(r.objects);
  const checkov = runCheckov(yaml);
  const kubeScore = runKubeScore(yaml, kubeScoreVersion);
  const { errors, excepted, used } = judge([...checkov.failed, ...kubeScore], r.profile, exceptions);
  return {
    counts: {
      checkovPassed: checkov.passed,
      checkovFailed: checkov.failed.length,
      kubeScoreCritical: kubeScore.filter((f) => f.grade === "critical").length,
      kubeScoreWarning: kubeScore.filter((f) => f.grade === "warning").length,
    },
    excepted,
    errors,
    used,
  };
}

export function describeCounts(c: LintCounts): string {
  return (
    `checkov passed=${c.checkovPassed} failed=${c.checkovFailed}, ` +
    `kube-score critical=${c.kubeScoreCritical} warning=${c.kubeScoreWarning}`
  );
}

/** The exceptions that covered nothing in any rendering: stale, so they fail too. */
export function unusedExceptions(
  used: Iterable<ReadonlySet<LintException>>,
  exceptions: readonly LintException[] = lintExceptions,
): string[] {
  const all = new Set([...used].flatMap((u) => [...u]));
  return exceptions
    .filter((e) => !all.has(e))
    .map((e) => `exception ${e.linter} ${e.check} for ${e.objects.join(", ")} covers nothing: remove it`);
}
