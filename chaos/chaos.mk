##@ Fault injection

.PHONY: chaos
chaos: node_modules stack-up ## Run a 100,000-voter election through crashes, restarts and bad records; check nothing is lost or doubled (CHAOS_VOTERS).
	npx --no-install tsx chaos/main.ts
