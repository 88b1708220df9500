#!/usr/bin/env bash
# Checks the Kubernetes manifests offline (CI runs it from .ci/run):
#   1. kubernetes/plinth-etc-configmap.yaml is what kubernetes/configmap.sh makes of distribution/src/main/dist/etc/
#      (and kubernetes/etc/, if any): no drift;
#   2. every kubernetes/*.yaml validates against the Kubernetes API schemas, strictly (unknown fields are errors):
#      validate/validate.mjs, with the npm packages pinned in validate/package-lock.json (kubernetes-models,
#      TypeScript, yaml).
# The packages are installed once (npm ci, from the npm registry) into a cache folder outside the work tree,
# PLINTH_TOOLS_CACHE (default ~/.cache/plinth), keyed by the lock file's hash; later runs need no network.
# Needs node (18 or newer) and npm: installed from Debian's packages if missing and running as root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

"$HERE/configmap.sh" --check

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    if ((EUID == 0)) && command -v apt-get >/dev/null; then
        echo "validate.sh: installing node and npm (Debian's packages)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    else
        echo "validate.sh: node and npm are needed" >&2
        exit 1
    fi
fi

lock_hash=$(cat "$HERE/validate/package.json" "$HERE/validate/package-lock.json" | sha256sum | cut -c1-16)
TOOLS=${PLINTH_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/plinth}/k8s-validate-$lock_hash
if [[ ! -f $TOOLS/.installed ]]; then
    echo "validate.sh: installing the validator's packages into $TOOLS"
    rm -rf "$TOOLS"
    mkdir -p "$TOOLS"
    cp "$HERE/validate/package.json" "$HERE/validate/package-lock.json" "$TOOLS/"
    # --engine-strict=false: kubernetes-models asks for node 22 in its package.json; node 20 (Debian 12's
    # newer builds, this machine) runs it.
    (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error --engine-strict=false >/dev/null)
    touch "$TOOLS/.installed"
fi
cp "$HERE/validate/validate.mjs" "$TOOLS/"

manifests=("$HERE"/*.yaml)
cd "$TOOLS"
sources=$ROOT/distribution/src/main/dist/etc
[[ ! -d $HERE/etc ]] || sources+=":$HERE/etc"
PLINTH_ROOT="$ROOT" PLINTH_ETC_SOURCES="$sources" node validate.mjs "${manifests[@]}"
