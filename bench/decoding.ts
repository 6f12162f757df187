import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { avroDir } from "../schemas/codegen.js";
import { endpoints } from "../local/endpoints.js";
import { RUNNER_JAR, flinkLibDir } from "../local/flink-runner.js";
import { stackContext } from "../local/stack.js";
import { repoRoot } from "../versions.js";

/**
 * `make bench-decoding`: what the tally job's rejecting format (livetally-avro) costs per record over
 * the plain avro-confluent format it wraps, measured in one run against the stack's registry. The Java
 * benchmark is compiled here, against the SQL runner's jar, and never goes into it.
 */
const ctx = stackContext();
const classes = join(repoRoot, "build", "bench-decoding");
mkdirSync(classes, { recursive: true });
const classpath = `${RUNNER_JAR}:${flinkLibDir(ctx)}/*`;
execFileSync(
  "javac",
  ["-d", classes, "-cp", classpath, join(repoRoot, "bench", "decoding", "DecodingBenchmark.java")],
  {
    stdio: "inherit",
  },
);
const records = process.env.BENCH_RECORDS ?? "1000000";
const rounds = process.env.BENCH_ROUNDS ?? "7";
console.error(`bench-decoding: decoding ${records} votes ${rounds} times each way`);
execFileSync(
  "java",
  [
    "-Xmx512m",
    `-Dlog4j2.configurationFile=${join(ctx.settings.stackDir, "config", "flink", "log4j2.properties")}`,
    "-cp",
    `${classes}:${classpath}`,
    "io.livetally.flink.DecodingBenchmark",
    endpoints().registryUrl,
    join(avroDir, "Vote.avsc"),
    records,
    rounds,
  ],
  { stdio: "inherit" },
);
