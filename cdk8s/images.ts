import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, versions } from "../versions.js";
import type { PlatformConfig } from "./config.js";
import { flink, grafana, services } from "./names.js";

/** A livetally image: which Dockerfile builds it, under which name, with which pins. */
export interface ImageBuild {
  readonly image: string;
  readonly dockerfile: string;
  readonly buildArgs: Readonly<Record<string, string>>;
}

/** The ARGs a Dockerfile declares, in order. */
export function dockerfileArgs(text: string): string[] {
  return [...text.matchAll(/^ARG\s+([A-Z0-9_]+)\s*$/gm)].map((m) => m[1] ?? "");
}

/** Every ARG is a key of versions.env, so a Dockerfile never repeats a version. */
function buildArgs(dockerfile: string): Record<string, string> {
  const v: Readonly<Record<string, string>> = versions();
  const args = dockerfileArgs(readFileSync(join(repoRoot, dockerfile), "utf8"));
  return Object.fromEntries(
    [...new Set(args)].map((a) => {
      if (!(a in v)) throw new Error(`${dockerfile}: ARG ${a} is not a key of versions.env`);
      return [a, String(v[a])];
    }),
  );
}

/** Where a livetally image is pulled from: registry/name:tag. */
export function imageRef(images: PlatformConfig["images"], name: string): string {
  return `${images.registry}/${name}:${images.tag}`;
}

export function imageBuilds(config: PlatformConfig): ImageBuild[] {
  return [
    {
      image: imageRef(config.images, services.image),
      dockerfile: "producers/Dockerfile",
      buildArgs: buildArgs("producers/Dockerfile"),
    },
    {
      image: imageRef(config.images, flink.image),
      dockerfile: "flink-sql/Dockerfile",
      buildArgs: buildArgs("flink-sql/Dockerfile"),
    },
    {
      image: imageRef(config.images, grafana.image),
      dockerfile: "dashboards/Dockerfile",
      buildArgs: buildArgs("dashboards/Dockerfile"),
    },
  ];
}

/** The docker command that builds an image from the repository root. */
export function dockerBuild(b: ImageBuild): string[] {
  return [
    "docker",
    "build",
    "--file",
    b.dockerfile,
    "--tag",
    b.image,
    ...Object.entries(b.buildArgs).flatMap(([k, v]) => ["--build-arg", `${k}=${v}`]),
    ".",
  ];
}
