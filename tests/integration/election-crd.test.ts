import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadElection, withOverrides } from "../../local/election/document.js";
import type { Election } from "../../schemas/generated/election.js";
import { repoRoot } from "../../versions.js";
import { applyElection, deleteElection, kubectl, NAMESPACE } from "./support/kubernetes.js";

/**
 * The Election CRD as the chart ships it (charts/livetally/crds), on the local stack's real API
 * server: it installs, a valid Election is taken, and an invalid one is refused by the API server
 * itself, with its own message, the CEL rules' included.
 */
const council = withOverrides(loadElection(join(repoRoot, "elections", "city-council.yaml")), {
  name: "crd-check",
});

/** The document with one change, as someone editing a copy of an example might make it. */
function edited(
  change: (spec: Record<string, unknown> & Election["spec"]) => unknown,
  name = "crd-check-bad",
): Election {
  const copy = structuredClone(council) as Election & { metadata: { name: string } };
  copy.metadata.name = name;
  change(copy.spec as Record<string, unknown> & Election["spec"]);
  return copy;
}

afterAll(async () => {
  await deleteElection("crd-check").catch(() => undefined);
});

describe("the Election CRD on a real API server", () => {
  it("installs from the chart's crds/ folder and is served, with its printer columns", async () => {
    const crd = join(repoRoot, "charts", "livetally", "crds", "elections.livetally.io.yaml");
    await kubectl(["apply", "--server-side", "--force-conflicts", "-f", crd]);
    await kubectl(["wait", "--for=condition=Established", "crd/elections.livetally.io", "--timeout=30s"]);
    const resources = await kubectl(["api-resources", "--api-group=livetally.io", "-o", "wide"]);
    expect(resources).toMatch(/elections\s+livetally\.io\/v1alpha1\s+true\s+Election/);
    expect(await applyElection(council)).toMatch(
      /election\.livetally\.io\/crd-check (created|configured|unchanged)/,
    );
    const header = (await kubectl(["get", "elections", "--namespace", NAMESPACE])).split("\n")[0] ?? "";
    expect(header.split(/\s+/)).toEqual([
      "NAME",
      "PHASE",
      "VOTES",
      "TURNOUT",
      "LEADER",
      "MARGIN",
      "CERTIFIED",
      "AGE",
    ]);
  });

  it.each([
    [
      "electorate shares that do not sum to 1 (a CEL rule)",
      edited((s) => {
        (s.regions[0] as { electorateShare: number }).electorateShare = 0.9;
      }),
      /spec\.regions: Invalid value: "array": electorate shares must sum to 1/,
    ],
    [
      "two candidates with one id (a CEL rule)",
      edited((s) => {
        (s.candidates[1] as { id: string }).id = s.candidates[0]?.id ?? "";
      }),
      /spec\.candidates: Invalid value: "array": candidate ids must be unique/,
    ],
    [
      "a preference for nobody on the ballot (a CEL rule)",
      edited((s) => {
        (s.regions[0] as { preferences: Record<string, number> }).preferences["nobody"] = 3;
      }),
      /spec\.regions: Invalid value: "object": preferences must name known candidates/,
    ],
    [
      "voting that closes before it opens (a CEL rule)",
      edited((s) => {
        (s as { voting: unknown }).voting = {
          opensAt: "2026-11-03T20:00:00Z",
          closesAt: "2026-11-03T08:00:00Z",
        };
      }),
      /spec\.voting\.closesAt: Invalid value: "object": must be after opensAt/,
    ],
    [
      "a region code that is not two capitals",
      edited((s) => {
        (s.regions[0] as { code: string }).code = "n1";
      }),
      /spec\.regions\[0\]\.code: Invalid value: "n1": spec\.regions\[0\]\.code in body should match '\^\[A-Z\]\{2\}\$'/,
    ],
    [
      "no title",
      edited((s) => {
        delete (s as { title?: string }).title;
      }),
      /spec\.title: Required value/,
    ],
    [
      "a name longer than 39 characters",
      edited(() => undefined, "an-election-whose-name-is-longer-than-thirty-nine"),
      /metadata\.name: Too long: may not be (longer than|more than) 39/,
    ],
    [
      "a field the schema does not know",
      edited((s) => {
        s.turnoutTarget = 0.7;
      }),
      /unknown field "spec\.turnoutTarget"/,
    ],
  ] as const)("refuses an Election with %s, in the API server's words", async (_what, election, message) => {
    const refused = await applyElection(election).then(
      () => "",
      (e: unknown) => (e as Error).message,
    );
    expect(refused).toMatch(message);
    expect(
      await kubectl([
        "get",
        "election",
        election.metadata.name,
        "--namespace",
        NAMESPACE,
        "--ignore-not-found",
      ]),
    ).toBe("");
  });
});
