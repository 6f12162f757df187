import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import type { ElectionFiles } from "../cdk8s/app.js";
import { platformConfig, profiles, type PlatformConfig, type Profile } from "../cdk8s/config.js";
import { chartValues, setPath, valuesSchema } from "../cdk8s/helm/values.js";
import type { PlatformBuild } from "../cdk8s/lib/controller.js";
import { controller } from "../cdk8s/names.js";
import { ConfigError } from "../producers/runtime/env.js";

/** The platform as the controller builds each election's objects on it. */
export interface Platform {
  readonly config: PlatformConfig;
  readonly files: ElectionFiles;
}

/** The profile's configuration with the chart's values put over it, as the chart renders it. */
export function platformOf(values: Record<string, unknown>, build: PlatformBuild): Platform {
  const config = structuredClone(platformConfig(build.profile)) as unknown as Record<string, unknown>;
  for (const v of chartValues) {
    const value = v.path
      .split(".")
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], values);
    setPath(config, v.path, value);
  }
  return {
    config: config as unknown as PlatformConfig,
    files: { versions: { FLINK_VERSION: build.flinkVersion }, sqlScripts: build.sqlScripts },
  };
}

const ajv = new Ajv({ allErrors: true, strict: false });
// values.schema.json names its draft for Helm; ajv knows the draft without being told.
const schema = valuesSchema();
delete schema.$schema;
const checkValues = ajv.compile(schema);

/**
 * Reads the ConfigMap the chart mounts at PLATFORM_DIR: the release's values (values.json, as
 * values.schema.json describes them) and the build (build.json). Every problem at once.
 */
export function readPlatform(dir: string): Platform {
  const problems: string[] = [];
  const read = (key: string): unknown => {
    const file = join(dir, key);
    try {
      return JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      problems.push(`${file}: ${(e as Error).message}`);
      return undefined;
    }
  };
  const values = read(controller.valuesKey);
  const build = read(controller.buildKey) as Partial<PlatformBuild> | undefined;
  if (values !== undefined && !checkValues(values)) {
    for (const e of checkValues.errors ?? []) {
      problems.push(
        `${controller.valuesKey}${e.instancePath.replaceAll("/", ".")}: ${e.message ?? "invalid"}`,
      );
    }
  }
  if (build !== undefined) {
    if (!profiles.includes(build.profile as Profile)) {
      problems.push(`${controller.buildKey}.profile: expected one of ${profiles.join(", ")}`);
    }
    if (typeof build.flinkVersion !== "string" || build.flinkVersion === "") {
      problems.push(`${controller.buildKey}.flinkVersion: expected the Flink release, such as 2.0.0`);
    }
    const scripts = build.sqlScripts;
    if (!Array.isArray(scripts) || scripts.length === 0 || scripts.some((s) => typeof s !== "string")) {
      problems.push(`${controller.buildKey}.sqlScripts: expected the SQL scripts' file names, in order`);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`invalid platform settings in ${dir}:\n  ${problems.join("\n  ")}`);
  }
  return platformOf(values as Record<string, unknown>, build as PlatformBuild);
}
