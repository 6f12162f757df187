##@ Kubernetes

# The upstream CRDs and Kubernetes schemas (read-only; never copied into the repository).
LIVETALLY_SHARED ?= $(abspath ../shared)
export LIVETALLY_SHARED
CRDS := $(LIVETALLY_SHARED)/crds
CDK8S := npx --no-install tsx cdk8s

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
	  npx --no-install cdk8s import "$$spec" --language typescript --output cdk8s/imports > "$$tmp/log" 2>&1 \
	    || { cat "$$tmp/log"; exit 1; }; \
	done

.PHONY: synth
synth: node_modules ## Synthesize the manifests of both profiles into build/cdk8s/<profile>/.
	$(CDK8S)/synth.ts
