import { describe, expect, it } from "vitest";
import { readElectionFile, requireElection } from "../../schemas/election/load.js";
import { defaultElection } from "./default-election.js";
import { electionDefinition } from "./definition.js";

describe("the default election", () => {
  it("is elections/general-2026.yaml", () => {
    const file = "elections/general-2026.yaml";
    expect(electionDefinition(requireElection(readElectionFile(file), file))).toStrictEqual(defaultElection);
  });
});
