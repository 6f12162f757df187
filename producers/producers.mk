##@ Election services

PRODUCERS_TSX := npx --no-install tsx
# The services know nothing of the local stack: this gives them its addresses.
ON_STACK := $(PRODUCERS_TSX) local/run-service.ts
VOTERS ?= 10000
ELECTION_SEED ?= 2026

.PHONY: schemas-codegen
schemas-codegen: node_modules ## Regenerate schemas/generated/ from schemas/avro/*.avsc and the Election schema.
	$(PRODUCERS_TSX) schemas/codegen.ts
	$(PRODUCERS_TSX) schemas/election/codegen.ts

.PHONY: setup
setup: node_modules ## Create the topics, register the schemas (BACKWARD) and apply the migrations.
	$(ON_STACK) producers/setup/main.ts

.PHONY: migrate
migrate: node_modules ## Apply the PostgreSQL migrations only.
	$(ON_STACK) schemas/migrate-cli.ts

.PHONY: register
register: node_modules ## Register VOTERS voters (default 10000) and the candidates for ELECTION_SEED.
	$(ON_STACK) producers/registration/main.ts --voters $(VOTERS) --seed $(ELECTION_SEED)

.PHONY: vote
vote: node_modules ## Run the voting service (VOTING_RATE_LIMIT=votes/s, 0 = unlimited); Ctrl-C stops it.
	$(ON_STACK) producers/voting/main.ts

.PHONY: test-services
test-services: node_modules stack-up ## Run the election services' unit and integration tests.
	npx --no-install vitest run --project unit producers schemas
	npx --no-install vitest run --project integration tests/integration/services-

##@ Elections (Election documents: elections/ holds examples)

.PHONY: election-validate
election-validate: node_modules ## Check an Election document (ELECTION=<file>): a summary, or every problem and exit 2.
	$(PRODUCERS_TSX) schemas/election/validate-cli.ts "$(ELECTION)"
