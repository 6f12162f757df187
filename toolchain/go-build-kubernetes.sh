#!/usr/bin/env bash
# Builds commands of one Kubernetes release (kube-apiserver, kube-controller-manager, kubectl...) from
# the Go module proxy: usage: go-build-kubernetes.sh VERSION OUT_DIR COMMAND...
#
# k8s.io/kubernetes cannot be `go install`ed: its go.mod points every staging module (k8s.io/api,
# k8s.io/client-go...) at ./staging/, which a module download does not resolve. So a throwaway wrapper
# module requires it and replaces each of those staging modules with its published release of the same
# patch (v1.33.5's staging modules are v0.33.5), then builds the commands with the version stamped in.
set -euo pipefail

if (($# < 3)); then
  echo "usage: $0 VERSION OUT_DIR COMMAND..." >&2
  exit 2
fi
version=$1
# Absolute, since the build runs in a folder of its own.
out=$(mkdir -p "$2" && cd "$2" && pwd)
shift 2
if [[ ! $version =~ ^v1\.([0-9]+)\.[0-9]+$ ]]; then
  echo "$0: $version: expected a release such as v1.33.5" >&2
  exit 2
fi
minor=${BASH_REMATCH[1]}
staging_version=${version/#v1./v0.}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

upstream_mod=$(go mod download -json "k8s.io/kubernetes@$version" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')
[[ -f $upstream_mod ]] || {
  echo "$0: the Go module proxy has no k8s.io/kubernetes@$version" >&2
  exit 1
}
replaces=$(sed -n 's#^\s*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\t\1 => \1 '"$staging_version"'#p' "$upstream_mod")
[[ -n $replaces ]] || {
  echo "$0: no staging modules found in $upstream_mod" >&2
  exit 1
}
{
  printf 'module livetally.local/kubernetes-build\n\ngo 1.24.0\n\nrequire k8s.io/kubernetes %s\n\n' "$version"
  printf 'replace (\n%s\n)\n\ntool (\n' "$replaces"
  for command in "$@"; do printf '\tk8s.io/kubernetes/cmd/%s\n' "$command"; done
  printf ')\n'
} >go.mod
go mod tidy

stamp=k8s.io/component-base/version
packages=()
for command in "$@"; do packages+=("k8s.io/kubernetes/cmd/$command"); done
go build -trimpath -o "$work/bin/" \
  -ldflags "-s -w -X $stamp.gitVersion=$version -X $stamp.gitMajor=1 -X $stamp.gitMinor=$minor -X $stamp.gitTreeState=clean" \
  "${packages[@]}"
for command in "$@"; do mv -f "$work/bin/$command" "$out/$command"; done
