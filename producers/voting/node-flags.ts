/**
 * The V8 heap limits the voting service runs with, wherever it runs. Node 24 grows the young and the
 * old generation well beyond what Node 20 did: `make bench-voting` measured a peak RSS of 339-376 MiB
 * under Node 24 against 212-239 MiB under Node 20 for the same code; with these two limits, 209-212 MiB
 * at the same votes/s. The service holds a few chunks in flight whatever the electorate's size, so its
 * heap needs no more.
 */
export const VOTING_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=16", "--max-old-space-size=192"];
