import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { launch, livePid, stopByPidFile } from "./processes.js";

describe("pid-file processes", () => {
  it("starts a detached process, finds it by its pid file and stops it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "livetally-proc-"));
    const pidFile = join(dir, "sleeper.pid");
    const pid = launch({
      command: "sleep",
      args: ["30"],
      cwd: dir,
      logFile: join(dir, "sleeper.log"),
      pidFile,
    });
    expect(livePid(pidFile)).toBe(pid);
    expect(await stopByPidFile(pidFile, "SIGTERM", 5000)).toBe("stopped");
    expect(livePid(pidFile)).toBeUndefined();
    expect(await stopByPidFile(pidFile, "SIGTERM", 5000)).toBe("not-running");
  });
});
