import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "election-validate-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI as `make election-validate` does. */
function validate(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "schemas/election/validate-cli.ts", ...args], {
    encoding: "utf8",
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("election-validate", () => {
  it("summarises a sound election", () => {
    expect(validate("elections/national-large.yaml")).toEqual({
      code: 0,
      stdout: "election national-large: valid (5 candidates, 50 regions, 1,000,000 voters)\n",
      stderr: "",
    });
  });

  it("prints every problem of a bad one on its own line and exits 2", () => {
    const file = join(dir, "bad.yaml");
    const text = readFileSync("elections/city-council.yaml", "utf8")
      .replace("electorateShare: 0.18", "electorateShare: 0.17")
      .replace("code: HB", "code: RS")
      .replace("cand-park: 45", "cand-parks: 45")
      .replace('electionDay: "2027-05-11"', "electionDay: May 11th");
    writeFileSync(file, text);
    const run = validate(file);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      [
        `election-validate: ${file} is not a valid Election (4 problems):`,
        "  spec.electionDay: must be a date, YYYY-MM-DD",
        '  spec.regions[3].code: region codes must be unique ("RS" is also spec.regions[1].code)',
        "  spec.regions: electorate shares must sum to 1 (they sum to 0.99)",
        "  spec.regions[4].preferences.cand-parks: preferences must name known candidates",
        "",
      ].join("\n"),
    );
  });

  it("exits 2 with its usage when not given one file", () => {
    const run = validate();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("usage: make election-validate ELECTION=<file>");
  });
});
