##@ Election demo

# The demo registers 100,000 voters unless VOTERS is given on the command line or in the environment.
DEMO_VOTERS := $(if $(filter command line environment,$(origin VOTERS)),$(VOTERS),100000)

.PHONY: demo
demo: node_modules ## Run a whole election locally, live in the terminal, and certify it (VOTERS=100000).
	VOTERS=$(DEMO_VOTERS) npx --no-install tsx demo/main.ts
