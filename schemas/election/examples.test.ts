import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Election } from "../generated/election.js";
import { electionProblems } from "./validate.js";

const dir = "elections";
const examples = readdirSync(dir).filter((f) => f.endsWith(".yaml"));

function example(file: string): Election {
  return parse(readFileSync(`${dir}/${file}`, "utf8")) as Election;
}

describe("example elections", () => {
  it("are the three the README promises", () => {
    expect(examples.sort()).toEqual(["city-council.yaml", "general-2026.yaml", "national-large.yaml"]);
  });

  it.each(examples)("%s validates, and is named after its file", (file) => {
    const election = example(file);
    expect(electionProblems(election)).toEqual([]);
    expect(`${election.metadata.name}.yaml`).toBe(file);
  });

  it("has a small one and a large one", () => {
    const small = example("city-council.yaml").spec;
    expect([small.candidates.length, small.regions.length, small.electorate.voters]).toEqual([3, 5, 5_000]);
    const large = example("national-large.yaml").spec;
    expect([large.regions.length, large.electorate.voters]).toEqual([50, 1_000_000]);
  });
});
