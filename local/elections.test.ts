import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadElection } from "./election/document.js";
import { markClosed, markOpen, openElection, openElections } from "./elections.js";
import { stackSettings } from "./settings.js";

describe("open elections of the local stack", () => {
  it("are opened, listed by name and closed", () => {
    const settings = stackSettings({
      LIVETALLY_STACK_DIR: mkdtempSync(join(tmpdir(), "livetally-elections-")),
    });
    expect(openElections(settings)).toEqual([]);
    const demo = { name: "demo", document: loadElection(), openedAt: "2026-12-01T00:00:00.000Z" };
    markOpen(settings, demo);
    markOpen(settings, { ...demo, name: "chaos" });
    expect(openElections(settings).map((e) => e.name)).toEqual(["chaos", "demo"]);
    expect(openElection(settings, "demo")).toEqual(demo);
    markClosed(settings, "demo");
    markClosed(settings, "demo");
    expect(openElections(settings).map((e) => e.name)).toEqual(["chaos"]);
  });
});
