import type { Reporter, TestModule } from "vitest/node";

/** Ends a run with one plain line, `tests: N passed, N failed, N skipped`, that any CI can read. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
    }
    // Written at exit so that it stays the last line, after the default reporter's summary.
    process.once("exit", () => {
      process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    });
  }
}
