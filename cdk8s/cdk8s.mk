##@ Kubernetes

# The upstream CRDs and Kubernetes schemas (read-only; never copied into the repository).
LIVETALLY_SHARED ?= $(abspath ../shared)
export LIVETALLY_SHARED
CRDS := $(LIVETALLY_SHARED)/crds
CDK8S := npx --no-install tsx cdk8s
# Where cdk8s-import writes (the unit tests point it elsewhere to compare).
CDK8S_IMPORTS ?= cdk8s/imports

# cdk8s import writes one file per API group, so the CRDs of a group go in as one multi-document file.
.PHONY: cdk8s-import
cdk8s-import: node_modules ## Regenerate cdk8s/imports from the CRDs under $LIVETALLY_SHARED (offline).
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	join() { for f in "$$@"; do cat "$$f"; echo ---; done; } && \
	join $(CRDS)/strimzi-$(STRIMZI_VERSION)/04{0,5,3,4}-Crd-*.yaml > "$$tmp/strimzi.yaml" && \
	join $(CRDS)/cloudnative-pg-$(CLOUDNATIVEPG_VERSION)/postgresql.cnpg.io_{clusters,databases}.yaml > "$$tmp/cnpg.yaml" && \
	for spec in "$$tmp/strimzi.yaml" "$$tmp/cnpg.yaml" \
	    $(CRDS)/flink-kubernetes-operator-$(FLINK_OPERATOR_VERSION)/flinkdeployments.flink.apache.org-v1.yml \
	    $(CRDS)/prometheus-operator-*/monitoring.coreos.com_podmonitors.yaml; do \
	  echo "cdk8s import $$spec"; \
	  npx --no-install cdk8s import "$$spec" --language typescript --output $(CDK8S_IMPORTS) > "$$tmp/log" 2>&1 \
	    || { cat "$$tmp/log"; exit 1; }; \
	done

.PHONY: synth
synth: node_modules ## Synthesize the manifests of both profiles into build/cdk8s/<profile>/.
	$(CDK8S)/synth.ts

HELM := bin/helm

# go install leaves helm's version unset; the linker flag makes `helm version` report the pin.
.PHONY: helm
helm: ## Build the pinned helm into ./bin from the Go module proxy (skipped when it is there).
	@if $(HELM) version --short 2>/dev/null | grep -q '^$(HELM_VERSION)'; then \
	  echo "helm $(HELM_VERSION) is in ./bin"; \
	else \
	  echo "building helm $(HELM_VERSION) into ./bin (a few minutes the first time)"; \
	  GOBIN=$(CURDIR)/bin GOFLAGS=-mod=mod go install \
	    -ldflags "-X helm.sh/helm/v3/internal/version.version=$(HELM_VERSION)" \
	    helm.sh/helm/v3/cmd/helm@$(HELM_VERSION); \
	fi

.PHONY: chart
chart: node_modules ## Regenerate the Helm chart in charts/livetally from the cdk8s app.
	$(CDK8S)/helm/generate.ts

.PHONY: validate
validate: node_modules helm linters kubectl kube-up ## Validate both profiles and the chart: schemas, cross-references, helm lint/template, Checkov, kube-score, a server-side dry run.
	KUBECONFIG=$$($(STACK) kubeconfig) $(CDK8S)/validate/run.ts

.PHONY: images
images: node_modules ## Build the livetally images with Docker (DRY_RUN=1 prints the commands).
	$(CDK8S)/kind/cli.ts images

.PHONY: kind-up
kind-up: node_modules ## Create a kind cluster with the operators, Prometheus and livetally; print Grafana's URL (DRY_RUN=1 prints every command).
	$(CDK8S)/kind/cli.ts up

.PHONY: kind-down
kind-down: node_modules ## Delete the kind cluster (DRY_RUN=1 prints the command).
	$(CDK8S)/kind/cli.ts down

.PHONY: shared-fetch
shared-fetch: node_modules ## Download the pinned CRDs and Kubernetes schema into $LIVETALLY_SHARED (DRY_RUN=1 lists them).
	$(CDK8S)/validate/fetch-shared.ts
