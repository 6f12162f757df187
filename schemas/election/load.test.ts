import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CommandError } from "../../producers/runtime/command-error.js";
import {
  InvalidElectionError,
  parseElection,
  readElectionFile,
  readElectionFromEnv,
  requireElection,
} from "./load.js";

const example = "elections/city-council.yaml";
const text = readFileSync(example, "utf8");
const dir = mkdtempSync(join(tmpdir(), "election-load-"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loading an election", () => {
  it("reads YAML and JSON alike", () => {
    const yaml = parseElection(text);
    expect(yaml.ok).toBe(true);
    expect(parseElection(JSON.stringify(parse(text)))).toEqual(yaml);
  });

  it("reads a file, as a copied example or a mounted ConfigMap gives it", () => {
    const result = readElectionFile(example);
    expect(result.ok && result.election.metadata.name).toBe("city-council");
  });

  it("reads the document itself from an environment variable", () => {
    const result = readElectionFromEnv("ELECTION_DOCUMENT", { ELECTION_DOCUMENT: text });
    expect(result.ok && result.election.spec.title).toBe("Riverton city council 2027");
    expect(readElectionFromEnv("ELECTION_DOCUMENT", {})).toEqual({
      ok: false,
      problems: ["ELECTION_DOCUMENT is not set"],
    });
  });

  it("says why it cannot read a document, without throwing", () => {
    const missing = join(dir, "missing.yaml");
    expect(readElectionFile(missing)).toEqual({
      ok: false,
      problems: [`cannot read ${missing}: ENOENT: no such file or directory, open '${missing}'`],
    });
    expect(parseElection("")).toEqual({ ok: false, problems: ["the document is empty"] });
    expect(parseElection(`${text}\n---\n${text}`)).toEqual({
      ok: false,
      problems: ["expected one YAML document, found 2"],
    });
    expect(parseElection("kind: Election\nkind: Election\n")).toEqual({
      ok: false,
      problems: ["not YAML or JSON: Map keys must be unique at line 2, column 1"],
    });
  });

  it("gives a bad document's problems", () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, text.replace("voters: 5000", "voters: -1"));
    expect(readElectionFile(file)).toEqual({
      ok: false,
      problems: ["spec.electorate.voters: must be at least 1"],
    });
  });

  it("turns a bad result into the error a command ends with, exit code 2", () => {
    const result = parseElection(text.replace("name: city-council", "name: City"));
    let error: unknown;
    try {
      requireElection(result, "city.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidElectionError);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as InvalidElectionError).exitCode).toBe(2);
    expect((error as InvalidElectionError).problems).toHaveLength(1);
    expect((error as Error).message).toBe(
      "city.yaml is not a valid Election (1 problem):\n" +
        "  metadata.name: must be a DNS label: lower-case letters, digits and hyphens, starting and ending with a letter or digit",
    );
    const sound = parseElection(text);
    expect(requireElection(sound, "city.yaml")).toBe(sound.ok && sound.election);
  });
});
