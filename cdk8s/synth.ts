import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { repoRoot } from "../versions.js";
import { synthesize, type K8sObject } from "./app.js";
import { platformConfig, profiles, type Profile } from "./config.js";

/** Where `make synth` writes the manifests: build/cdk8s/<profile>/livetally.yaml (not committed). */
export const synthDir = join(repoRoot, "build", "cdk8s");

export function toYaml(objects: readonly K8sObject[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
}

export function synthProfile(profile: Profile): { file: string; objects: K8sObject[] } {
  const objects = synthesize(platformConfig(profile));
  const dir = join(synthDir, profile);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "livetally.yaml");
  writeFileSync(file, toYaml(objects));
  return { file, objects };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const wanted = process.argv.slice(2) as Profile[];
  for (const profile of wanted.length > 0 ? wanted : profiles) {
    const { file, objects } = synthProfile(profile);
    console.log(`synth: ${profile}: ${objects.length} objects -> ${file}`);
  }
}
