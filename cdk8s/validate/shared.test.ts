import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { sharedDir, sharedFiles } from "./shared.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("the shared reference data", () => {
  it("is exactly what `make shared-fetch` downloads, at the pinned versions", () => {
    const dir = sharedDir();
    const present = [...filesUnder(join(dir, "crds")), ...filesUnder(join(dir, "kubernetes-schemas"))]
      .map((f) => relative(dir, f))
      .sort();
    expect(
      sharedFiles()
        .map((f) => f.path)
        .sort(),
    ).toEqual(present);
  });

  it("comes from each project's release tag over HTTPS", () => {
    for (const file of sharedFiles()) expect(file.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\//);
  });
});
