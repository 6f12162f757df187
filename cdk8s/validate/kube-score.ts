import { spawnSync } from "node:child_process";
import type { Finding } from "./findings.js";
import { kubeScoreBin } from "./tools.js";

/** kube-score's grades (scorecard.Grade): critical and warning fail, almost-ok and ok pass. */
const CRITICAL = 1;
const WARNING = 5;

interface KubeScoreObject {
  readonly type_meta: { readonly kind: string };
  readonly object_meta: { readonly name: string };
  readonly checks: readonly {
    readonly check: { readonly id: string; readonly name: string };
    readonly grade: number;
    readonly skipped: boolean;
    readonly comments: readonly { readonly path: string; readonly summary: string }[] | null;
  }[];
}

/**
 * Runs kube-score's default checks over one rendering (read from stdin), graded for the
 * Kubernetes the manifests are validated against. It exits 1 on a critical grade, so the JSON
 * decides. The per-object `kube-score/ignore` annotations are disabled: exceptions live in
 * lint-exceptions.ts only.
 */
export function runKubeScore(yaml: string, kubernetesVersion: string): Finding[] {
  const run = spawnSync(
    kubeScoreBin,
    [
      "score",
      "-",
      "--output-format",
      "json",
      "--kubernetes-version",
      kubernetesVersion,
      "--disable-ignore-checks-annotations",
    ],
    { input: yaml, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  // 1 is also how it fails to start (a bad flag): then there is no JSON.
  if ((run.status !== 0 && run.status !== 1) || !run.stdout.trimStart().startsWith("["))
    throw new Error(`kube-score exited ${run.status}: ${run.stderr.trim()}`);
  return parseKubeScore(run.stdout);
}

/** One finding per comment, as kube-score's ci output prints one line per comment. */
export function parseKubeScore(stdout: string): Finding[] {
  const findings: Finding[] = [];
  for (const o of JSON.parse(stdout) as KubeScoreObject[]) {
    for (const c of o.checks) {
      if (c.skipped || (c.grade !== CRITICAL && c.grade !== WARNING)) continue;
      const comments = c.comments?.length ? c.comments : [{ path: "", summary: c.check.name }];
      for (const comment of comments) {
        findings.push({
          linter: "kube-score",
          check: c.check.id,
          kind: o.type_meta.kind,
          name: o.object_meta.name,
          grade: c.grade === CRITICAL ? "critical" : "warning",
          message: comment.path ? `${comment.path}: ${comment.summary}` : comment.summary,
        });
      }
    }
  }
  return findings;
}
