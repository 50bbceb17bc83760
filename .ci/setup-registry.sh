#!/usr/bin/env bash
# Installs Debian's skopeo (the containers/image library cdk-ecr-deployment's copy handler uses) and
# docker-registry (the CNCF distribution registry), which the copy-digest proof in
# test/integ/copy-digest.test.ts starts itself. Idempotent; runs as root on Debian 12.
set -euo pipefail
missing=()
command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[setup-registry] installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "[setup-registry] $(skopeo --version); docker-registry $(docker-registry --version 2>&1 | head -1)"
