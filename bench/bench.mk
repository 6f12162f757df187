##@ Benchmarks

.PHONY: bench-decoding
bench-decoding: node_modules stack-up ## Measure the tally job's rejecting Avro format per record against the plain avro-confluent format.
	npx --no-install tsx bench/decoding.ts
