##@ Election demo

# The demo runs the election of ELECTION=<file> (elections/general-2026.yaml unless given), at the size,
# seed and pace its document declares unless VOTERS, ELECTION_SEED or VOTING_RATE_LIMIT say otherwise.
.PHONY: demo
demo: node_modules ## Run a whole election locally, live in the terminal, and certify it (ELECTION=<file>).
	ELECTION="$(ELECTION)" npx --no-install tsx demo/main.ts
