# livetally — run `make help` for the targets.
include versions.env

SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

STACK := npx --no-install tsx local/cli.ts
# Every pin of versions.env as a Maven -D property: the poms name the versions they use by these keys.
MAVEN_PINS := $(foreach key,$(shell sed -n 's/^\([A-Z0-9_]*\)=.*/\1/p' versions.env),-D$(key)=$($(key)))

##@ General

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make \033[36m<target>\033[0m\n"} \
		/^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2 } \
		/^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

node_modules: package-lock.json
	npm ci --no-audit --no-fund
	@touch node_modules

.PHONY: deps
deps: node_modules ## Install the npm dependencies (npm ci).

##@ Local stack (real Kafka, Apicurio Registry, PostgreSQL and Flink as local processes)

# KUBERNETES=1 adds the local Kubernetes control plane to the stack (make test and make validate need it).
STACK_ENV := $(if $(filter 1,$(KUBERNETES)),LIVETALLY_KUBERNETES=1 ,)

.PHONY: stack-up
stack-up: node_modules ## Start the local stack (idempotent) and wait until every engine is healthy; KUBERNETES=1 adds Kubernetes.
	$(STACK_ENV)$(STACK) up

.PHONY: kube-up
kube-up: node_modules ## Start only the local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager; built the first time).
	LIVETALLY_KUBERNETES=1 $(STACK) up etcd kube-apiserver kube-controller-manager

.PHONY: stack-down
stack-down: node_modules ## Stop the processes the local stack started.
	$(STACK) down

.PHONY: stack-status
stack-status: node_modules ## Show each engine's health, version, port and memory, and the open elections' tally jobs.
	$(STACK) status

.PHONY: tally-resume
tally-resume: node_modules ## Resume the tally job of every open election from its newest retained checkpoint.
	$(STACK) resume

##@ Development

.PHONY: test
test: node_modules helm linters kubectl dashboards ## Run the unit and integration tests (starts the stack, Kubernetes included, if needed).
	LIVETALLY_KUBERNETES=1 $(STACK) up
	npx --no-install vitest run

.PHONY: test-unit
test-unit: node_modules ## Run the unit tests only (no stack needed).
	npx --no-install vitest run --project unit

.PHONY: lint
lint: node_modules ## Type-check, lint and check formatting.
	npx --no-install tsc --noEmit
	npx --no-install eslint .
	npx --no-install prettier --check .

.PHONY: format
format: node_modules ## Format the TypeScript, JSON and YAML sources.
	npx --no-install prettier --write .

.PHONY: flink-runner
flink-runner: ## Build the Flink SQL runner jar and run its tests (flink-sql/runner).
	cd flink-sql/runner && mvn -B -q $(MAVEN_PINS) package

# Each part of the pipeline keeps its own targets beside its code.
include producers/producers.mk controller/controller.mk demo/demo.mk chaos/chaos.mk bench/bench.mk dashboards/dashboards.mk cdk8s/cdk8s.mk toolchain.mk
