import type { K8sObject } from "../app.js";
import { profiles, type Profile } from "../config.js";
import { staleFiles } from "../helm/chart.js";
import { helmLint, helmTemplate, productionValues } from "../helm/helm.js";
import { synthProfile } from "../synth.js";
import { controllerWillApply } from "./controlled.js";
import { checkAll } from "./crossrefs.js";
import { describeCounts, lint, unusedExceptions, type LintResult, type Rendering } from "./lint.js";
import { lintExceptions } from "./lint-exceptions.js";
import { SchemaValidator } from "./schemas.js";
import { apiServer, serverDryRun } from "./server.js";
import { ensureLinters } from "./tools.js";

/**
 * `make validate`: synthesizes both profiles, renders the chart with default and production
 * values, adds to each what the controller makes of its Elections, checks every object against its
 * schema and every cross-reference, runs Checkov and kube-score over each of the four (a linter's
 * finding fails unless lint-exceptions.ts covers it), and has a real API server dry-run each.
 * One line per stage; the last line sums it up.
 */
export interface ValidationSummary {
  readonly objects: number;
  readonly profiles: number;
  readonly helm: "ok" | "failed";
  readonly lint: "ok" | "failed";
  readonly server: "ok" | "failed";
  readonly errors: string[];
}

/**
 * `kubeconfig` names the API server each rendering is dry-run against (the local stack's, which
 * `make validate` brings up); without one, the server stage fails and says so.
 */
export function validateAll(
  log: (line: string) => void = () => {},
  kubeconfig: string | undefined = process.env.KUBECONFIG,
): ValidationSummary {
  const errors: string[] = [];
  let objects = 0;
  const started = Date.now();
  const stage = (name: string, what: string, problems: readonly string[]) => {
    errors.push(...problems.map((p) => `${name}: ${p}`));
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    log(`validate: [${secs}s] ${name}: ${what}, ${problems.length} error(s)`);
    for (const p of problems.slice(0, 20)) log(`  ${p}`);
  };
  const schemas = new SchemaValidator();
  const renderings: Rendering[] = [];
  // A rendering as the cluster holds it: with what the controller makes of its Elections.
  const check = (name: string, profile: Profile, applied: readonly K8sObject[]) => {
    const objs = [...applied, ...controllerWillApply(applied)];
    renderings.push({ name, profile, objects: objs });
    objects += objs.length;
    const problems = [
      ...schemas.validate(objs).map((p) => `${p.object}: ${p.message}`),
      ...checkAll(objs).map((p) => `${p.object}: ${p.message}`),
    ];
    stage(name, `${objs.length} objects validated, cross-references checked`, problems);
  };

  for (const profile of profiles) {
    const { objects: objs } = synthProfile(profile);
    check(`profile ${profile}`, profile, objs);
  }

  let helmOk = true;
  const stale = staleFiles();
  stage(
    "chart",
    "charts/livetally compared with the app",
    stale.length ? [`stale (run make chart): ${stale.join(", ")}`] : [],
  );
  if (stale.length) helmOk = false;
  // The default values are the kind profile's (values.yaml).
  for (const [name, profile, files] of [
    ["default", "kind", []],
    ["production", "production", [productionValues]],
  ] as const) {
    try {
      helmLint(files);
      const objs = helmTemplate(files);
      check(`helm ${name} values`, profile, objs);
    } catch (e) {
      helmOk = false;
      stage(`helm ${name} values`, "helm lint and template", [
        String((e as Error & { stderr?: string }).stderr ?? e),
      ]);
    }
  }

  const errorsBeforeLint = errors.length;
  const results: LintResult[] = [];
  try {
    ensureLinters();
    for (const r of renderings) {
      const result = lint(r);
      results.push(result);
      stage(`lint ${r.name}`, `${describeCounts(result.counts)}, ${result.excepted} excepted`, result.errors);
    }
    stage(
      "lint exceptions",
      `${lintExceptions.length} in lint-exceptions.ts, each one still needed`,
      unusedExceptions(results.map((r) => r.used)),
    );
  } catch (e) {
    stage("lint", "checkov and kube-score", [(e as Error).message]);
  }
  const lintOk = errors.length === errorsBeforeLint && results.length === renderings.length;

  const errorsBeforeServer = errors.length;
  const server = apiServer(kubeconfig);
  if (typeof server === "string") {
    stage("server", "server-side dry run", [server]);
  } else {
    for (const r of renderings) {
      const { accepted, errors: refused } = serverDryRun(server, r.objects);
      stage(
        `server ${r.name}`,
        `${accepted} objects accepted by kube-apiserver ${server.version} (dry run)`,
        refused,
      );
    }
  }
  return {
    objects,
    profiles: profiles.length,
    helm: helmOk ? "ok" : "failed",
    lint: lintOk ? "ok" : "failed",
    server: errors.length === errorsBeforeServer ? "ok" : "failed",
    errors,
  };
}

export function summaryLine(s: ValidationSummary): string {
  return `validate: objects=${s.objects} profiles=${s.profiles} helm=${s.helm} lint=${s.lint} server=${s.server} errors=${s.errors.length}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const summary = validateAll((line) => console.log(line));
  console.log(summaryLine(summary));
  process.exit(summary.errors.length === 0 ? 0 : 1);
}
