##@ Election services

PRODUCERS_TSX := npx --no-install tsx
# The election the services targets run, as an Election document (elections/ holds examples).
ELECTION ?= elections/general-2026.yaml
# The services know nothing of the local stack: this gives them its addresses, and the election.
ON_STACK := ELECTION_FILE="$(ELECTION)" $(PRODUCERS_TSX) local/run-service.ts

.PHONY: schemas-codegen
schemas-codegen: node_modules ## Regenerate schemas/generated/ from schemas/avro/*.avsc and the Election schema.
	$(PRODUCERS_TSX) schemas/codegen.ts
	$(PRODUCERS_TSX) schemas/election/codegen.ts

.PHONY: setup
setup: node_modules ## Create the election's topics, register its schemas (BACKWARD), migrate its database schema.
	$(ON_STACK) producers/setup/main.ts

.PHONY: migrate
migrate: node_modules ## Apply the PostgreSQL migrations to the election's schema only.
	$(ON_STACK) schemas/migrate-cli.ts

.PHONY: register
register: node_modules ## Register the election's electorate (VOTERS=N: only its first N voters) and candidates.
	$(ON_STACK) producers/registration/main.ts $(if $(VOTERS),--voters $(VOTERS))

.PHONY: vote
vote: node_modules ## Run the voting service for the election (its document's voting.rateLimit); Ctrl-C stops it.
	$(ON_STACK) producers/voting/main.ts

.PHONY: test-services
test-services: node_modules stack-up ## Run the election services' unit and integration tests.
	npx --no-install vitest run --project unit producers schemas
	npx --no-install vitest run --project integration tests/integration/services-

##@ Elections (Election documents: elections/ holds examples)

.PHONY: election-validate
election-validate: node_modules ## Check an Election document (ELECTION=<file>): a summary, or every problem and exit 2.
	$(PRODUCERS_TSX) schemas/election/validate-cli.ts "$(ELECTION)"

.PHONY: election-remove
election-remove: node_modules ## Remove one election from the local stack (ELECTION=<file> or ELECTION_NAME=<name>); no other.
	$(PRODUCERS_TSX) local/election/remove-cli.ts $(if $(ELECTION_NAME),--name "$(ELECTION_NAME)","$(ELECTION)")
