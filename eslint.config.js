import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** The code that ships: what runs in the images and the manifests, and what generates them. */
const shipped = [
  "schemas/**/*.ts",
  "producers/**/*.ts",
  "flink-sql/**/*.ts",
  "dashboards/**/*.ts",
  "cdk8s/**/*.ts",
  "controller/**/*.ts",
];

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "build/", "bin/", "cdk8s/imports/", "charts/", "**/target/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // A promise nobody awaits loses its failure; one passed where a callback's result is ignored too.
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
    },
  },
  {
    // Dependencies run one way: the development stack, the demo, the benchmarks, chaos and the tests
    // use the code that ships, never the reverse.
    files: shipped,
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^|/)(local|demo|bench|chaos|tests)/",
              message:
                "code that ships must not import the local stack, the demo, benchmarks, chaos or tests",
            },
          ],
        },
      ],
    },
  },
);
