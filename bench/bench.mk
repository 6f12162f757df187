##@ Benchmarks (each ends with one line of figures)

.PHONY: bench-e2e
bench-e2e: node_modules stack-up ## A 1,000,000-voter election end to end: time to certified tallies and their freshness (BENCH_VOTERS; BENCH_ELECTIONS=2: two of 500,000 side by side).
	npx --no-install tsx bench/e2e.ts

.PHONY: bench-voting
bench-voting: node_modules stack-up ## The voting service over 200,000 voters against the insert ceiling and the bare pipeline.
	npx --no-install tsx bench/voting.ts

.PHONY: bench-decoding
bench-decoding: node_modules stack-up ## The tally job's rejecting Avro format per record against the plain avro-confluent format.
	npx --no-install tsx bench/decoding.ts
