import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { versions } from "../versions.js";
import { stackSettings } from "./settings.js";
import { checkpointDir, latestRetainedCheckpoint } from "./tally-job.js";

describe("the newest retained checkpoint of an election", () => {
  it("is the newest chk-N of any of its jobs that completed, and none before one did", () => {
    const ctx = {
      settings: stackSettings({ LIVETALLY_STACK_DIR: mkdtempSync(join(tmpdir(), "livetally-chk-")) }),
      versions: versions(),
    };
    expect(latestRetainedCheckpoint(ctx, "demo")).toBeUndefined();
    const dir = checkpointDir(ctx, "demo");
    const checkpoint = (job: string, n: number, completedAt?: number): string => {
      const path = join(dir, job, `chk-${n}`);
      mkdirSync(path, { recursive: true });
      if (completedAt !== undefined) {
        writeFileSync(join(path, "_metadata"), "");
        utimesSync(join(path, "_metadata"), completedAt, completedAt);
      }
      return path;
    };
    checkpoint("old-job", 7, 1_000);
    const newest = checkpoint("new-job", 2, 2_000);
    // Cut short by a crash: no _metadata, so it cannot be restored.
    checkpoint("new-job", 3);
    mkdirSync(join(dir, "new-job", "shared"), { recursive: true });
    expect(latestRetainedCheckpoint(ctx, "demo")).toBe(newest);
  });
});
