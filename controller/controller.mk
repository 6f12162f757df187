##@ Election controller

.PHONY: controller-run
controller-run: node_modules kubectl ## Run the Election controller against the local stack's Kubernetes (brought up if needed), in the foreground.
	npx --no-install tsx local/controller/run-cli.ts
