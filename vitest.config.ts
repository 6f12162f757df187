import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "./tests/summary-reporter.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "{local,producers,schemas,dashboards,cdk8s,controller,flink-sql,demo,chaos,bench}/**/*.test.ts",
            "*.test.ts",
          ],
          exclude: ["**/node_modules/**", "cdk8s/imports/**"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          // One real stack serves every test file: a single fork runs the files one after another.
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
          globalSetup: ["tests/integration/stack-is-up.ts"],
        },
      },
    ],
  },
});
