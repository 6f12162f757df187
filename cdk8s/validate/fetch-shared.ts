import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { repoRoot } from "../../versions.js";
import { sharedFiles } from "./shared.js";

/**
 * `make shared-fetch`: downloads the pinned CRDs and Kubernetes schema into LIVETALLY_SHARED (default
 * ../shared), for a machine that does not have them. DRY_RUN=1 prints what it would fetch.
 */
async function main(): Promise<void> {
  const dir = resolve(process.env.LIVETALLY_SHARED || join(repoRoot, "..", "shared"));
  const dryRun = process.env.DRY_RUN === "1";
  const files = sharedFiles();
  for (const [i, file] of files.entries()) {
    const target = join(dir, file.path);
    console.log(`[${i + 1}/${files.length}] ${file.url} -> ${target}`);
    if (dryRun) continue;
    const response = await fetch(file.url);
    if (!response.ok) throw new Error(`${file.url}: HTTP ${response.status}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(`${target}.partial`, Buffer.from(await response.arrayBuffer()));
    renameSync(`${target}.partial`, target);
  }
}

main().catch((e: unknown) => {
  console.error(`shared-fetch: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
