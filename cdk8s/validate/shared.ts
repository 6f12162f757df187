import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { repoRoot } from "../../versions.js";

/**
 * The upstream reference data (CRDs, Kubernetes schemas), never copied into the repository:
 * LIVETALLY_SHARED names its folder, `../shared` beside the checkout by default.
 */
export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.LIVETALLY_SHARED ? resolve(env.LIVETALLY_SHARED) : resolve(repoRoot, "..", "shared");
  if (!existsSync(join(dir, "crds")) || !existsSync(join(dir, "kubernetes-schemas"))) {
    throw new Error(
      `no CRDs and Kubernetes schemas under ${dir}: set LIVETALLY_SHARED to the folder holding crds/ and kubernetes-schemas/`,
    );
  }
  return dir;
}
