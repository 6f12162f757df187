##@ Election services

PRODUCERS_TSX := npx --no-install tsx
VOTERS ?= 10000
ELECTION_SEED ?= 2026

.PHONY: schemas-codegen
schemas-codegen: node_modules ## Regenerate schemas/generated/records.ts from schemas/avro/*.avsc.
	$(PRODUCERS_TSX) schemas/codegen.ts

.PHONY: setup
setup: node_modules ## Create the topics, register the schemas (BACKWARD) and apply the migrations.
	$(PRODUCERS_TSX) producers/setup/main.ts

.PHONY: migrate
migrate: node_modules ## Apply the PostgreSQL migrations only.
	$(PRODUCERS_TSX) schemas/migrate-cli.ts

.PHONY: register
register: node_modules ## Register VOTERS voters (default 10000) and the candidates for ELECTION_SEED.
	$(PRODUCERS_TSX) producers/registration/main.ts --voters $(VOTERS) --seed $(ELECTION_SEED)

.PHONY: vote
vote: node_modules ## Run the voting service (VOTING_RATE_LIMIT=votes/s, 0 = unlimited); Ctrl-C stops it.
	$(PRODUCERS_TSX) producers/voting/main.ts

.PHONY: test-services
test-services: node_modules stack-up ## Run the election services' unit and integration tests.
	npx --no-install vitest run --project unit producers schemas
	npx --no-install vitest run --project integration tests/integration/services-

.PHONY: bench-voting
bench-voting: node_modules stack-up ## Benchmark the voting service over 200000 voters against the insert ceiling and the bare pipeline.
	$(PRODUCERS_TSX) producers/bench/bench-voting.ts
