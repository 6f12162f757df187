import { describe, expect, it } from "vitest";
import { backlog } from "./progress.js";

describe("backlog", () => {
  it("is the end offset minus the committed one, summed over partitions", () => {
    expect(
      backlog(
        [
          { partition: 0, offset: "100", low: "0" },
          { partition: 1, offset: "50", low: "0" },
        ],
        [
          { partition: 0, offset: "90" },
          { partition: 1, offset: "50" },
        ],
      ),
    ).toBe(10);
  });

  it("counts a partition the group never committed from its first retained record", () => {
    expect(
      backlog(
        [
          { partition: 0, offset: "100", low: "20" },
          { partition: 1, offset: "7", low: "0" },
        ],
        [{ partition: 0, offset: "-1" }],
      ),
    ).toBe(87);
  });

  it("is 0 only when every partition is committed to its end", () => {
    expect(backlog([{ partition: 0, offset: "5", low: "0" }], [{ partition: 0, offset: "5" }])).toBe(0);
    expect(backlog([{ partition: 0, offset: "5", low: "0" }], [{ partition: 0, offset: "4" }])).toBe(1);
  });
});
