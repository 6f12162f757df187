import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { repoRoot } from "../../versions.js";
import { clusterObjects, type K8sObject } from "../app.js";
import { platformConfig, profiles } from "../config.js";
import { parseCheckov } from "./checkov.js";
import { objectRef, type Finding } from "./findings.js";
import { parseKubeScore } from "./kube-score.js";
import { judge, lint, unusedExceptions } from "./lint.js";
import { lintExceptions, type LintException } from "./lint-exceptions.js";
import { ensureLintersAsync } from "./tools.js";

// Each Checkov run takes seconds on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const finding = (over: Partial<Finding>): Finding => ({
  linter: "kube-score",
  check: "container-resources",
  kind: "Deployment",
  name: "livetally-voting",
  grade: "critical",
  message: "voting: CPU limit is not set",
  ...over,
});

describe("the linters' reports", () => {
  it("reads Checkov's failed checks by kind and name, and refuses a rendering it could not read", () => {
    const report = parseCheckov(
      JSON.stringify({
        results: {
          failed_checks: [
            { check_id: "CKV_K8S_49", check_name: "Minimize wildcard use", resource: "Role.livetally.a.b" },
          ],
        },
        summary: { passed: 12, failed: 1, parsing_errors: 0 },
      }),
    );
    expect(report).toEqual({
      passed: 12,
      failed: [
        finding({
          linter: "checkov",
          check: "CKV_K8S_49",
          kind: "Role",
          name: "a.b",
          grade: "failed",
          message: "Minimize wildcard use",
        }),
      ],
    });
    expect(() =>
      parseCheckov(JSON.stringify({ summary: { passed: 0, failed: 0, parsing_errors: 0 } })),
    ).toThrow(/could not read/);
  });

  it("reads kube-score's critical and warning grades, one finding per comment", () => {
    const check = (id: string, grade: number, comments: { path: string; summary: string }[] | null) => ({
      check: { id, name: `${id} check` },
      grade,
      skipped: false,
      comments,
    });
    const findings = parseKubeScore(
      JSON.stringify([
        {
          type_meta: { kind: "Deployment" },
          object_meta: { name: "livetally-voting" },
          checks: [
            check("container-resources", 1, [
              { path: "setup", summary: "CPU limit is not set" },
              { path: "voting", summary: "CPU limit is not set" },
            ]),
            check("deployment-replicas", 5, null),
            check("container-image-tag", 10, []),
            check("pod-probes", 7, []),
          ],
        },
      ]),
    );
    expect(findings.map((f) => `${f.grade} ${f.check} ${f.message}`)).toEqual([
      "critical container-resources setup: CPU limit is not set",
      "critical container-resources voting: CPU limit is not set",
      "warning deployment-replicas deployment-replicas check",
    ]);
  });
});

describe("the exceptions", () => {
  const only: LintException = {
    linter: "kube-score",
    check: "container-resources",
    objects: ["Deployment/livetally-voting"],
    message: /CPU limit/,
    profile: "kind",
    reason: "test",
  };

  it("cover their check, objects, profile and message, and nothing else", () => {
    const covered = finding({});
    const others = [
      finding({ name: "livetally-grafana" }),
      finding({ message: "voting: Memory limit is not set" }),
      finding({ check: "container-image-tag" }),
      finding({ linter: "checkov" }),
    ];
    const judged = judge([covered, ...others], "kind", [only]);
    expect(judged.excepted).toBe(1);
    expect(judged.errors).toHaveLength(others.length);
    expect(judged.errors[1]).toBe(
      "kube-score container-resources (critical) Deployment/livetally-voting: voting: Memory limit is not set",
    );
    expect(judge([covered], "production", [only]).errors).toHaveLength(1);
    expect(unusedExceptions([judged.used], [only])).toEqual([]);
    expect(unusedExceptions([new Set()], [only])).toEqual([
      "exception kube-score container-resources for Deployment/livetally-voting covers nothing: remove it",
    ]);
  });

  it("are each listed in the README's security posture", () => {
    const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("**Exceptions**"), readme.indexOf("## Dashboards"));
    for (const e of lintExceptions) expect(section, e.check).toContain(`\`${e.check}\``);
  });

  it("each give a reason and name objects of the profiles they apply to", () => {
    for (const e of lintExceptions) {
      expect(e.reason.length, `${e.check}`).toBeGreaterThan(40);
      for (const p of e.profile ? [e.profile] : profiles) {
        const refs = new Set(
          clusterObjects(platformConfig(p)).map((o) => objectRef({ kind: o.kind, name: o.metadata.name })),
        );
        for (const o of e.objects) expect(refs.has(o), `${e.check}: ${o} in ${p}`).toBe(true);
      }
    }
  });
});

describe("the lint step of make validate, with the real linters", () => {
  beforeAll(async () => {
    await ensureLintersAsync();
  }, 900_000);

  const kind = () => structuredClone(clusterObjects(platformConfig("kind"))) as unknown as Json[];
  const run = (objects: Json[]) =>
    lint({ name: "planted", profile: "kind", objects: objects as unknown as K8sObject[] });
  const find = (objects: Json[], kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name) as Json;

  it("passes the kind profile as it is: every finding is an exception", () => {
    const result = run(kind());
    expect(result.errors).toEqual([]);
    expect(result.excepted).toBeGreaterThan(0);
  });

  it("fails on a wildcard verb planted in a Role", () => {
    const objects = kind();
    find(objects, "Role", "livetally-flink").rules[0].verbs = ["*"];
    expect(run(objects).errors).toEqual([
      "checkov CKV_K8S_49 (failed) Role/livetally-flink: Minimize wildcard use in Roles and ClusterRoles",
    ]);
  });

  it("fails on a Secret planted in an environment variable", () => {
    const objects = kind();
    const [voting] = find(objects, "Deployment", "general-2026-voting").spec.template.spec.containers;
    voting.env.push({
      name: "PLANTED",
      valueFrom: { secretKeyRef: { name: "livetally-pg-app", key: "password" } },
    });
    expect(run(objects).errors).toEqual([
      "checkov CKV_K8S_35 (failed) Deployment/general-2026-voting: Prefer using secrets as files over secrets as environment variables",
    ]);
  });
});
