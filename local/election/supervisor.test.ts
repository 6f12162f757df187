import { describe, expect, it } from "vitest";
import { restartDelayMs } from "./supervisor.js";

describe("restart backoff", () => {
  it("doubles from a second up to half a minute, as Kubernetes paces a crash loop", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(restartDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });
});
