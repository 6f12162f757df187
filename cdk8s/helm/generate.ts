import { relative } from "node:path";
import { repoRoot } from "../../versions.js";
import { chartDir, writeChart } from "./chart.js";

/** `make chart`: regenerates charts/livetally from the cdk8s app. */
const count = writeChart();
console.log(`chart: ${count} files -> ${relative(repoRoot, chartDir)}/`);
