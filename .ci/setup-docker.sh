#!/usr/bin/env bash
# Brings up a real Docker engine (and debootstrap, which provisioning needs where no registry is
# reachable), then provisions the Debian base the integ tests build their Lambda stand-ins from, with
# the tests' own code. Idempotent: every step is skipped when already done.
# Runs as root on a fresh Debian 12 machine (no registry reachable, Debian mirror is).
set -euo pipefail

DOCKER=/usr/bin/docker            # Debian's client: BuildKit built in (the other client on PATH refuses BuildKit builds)
BASE_TAG=${CCF_DEBIAN_BASE:-local/debian:bookworm}
cd "$(dirname "$0")/.."
log() { echo "[setup-docker] $*"; }

missing=()
[ -x "$DOCKER" ] || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! "$DOCKER" info >/dev/null 2>&1; then
  log "starting dockerd (log: /tmp/dockerd.log)"
  nohup dockerd >/tmp/dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    "$DOCKER" info >/dev/null 2>&1 && break
    sleep 1
  done
  "$DOCKER" info >/dev/null 2>&1 || { log "dockerd did not come up"; tail -50 /tmp/dockerd.log; exit 1; }
fi
log "engine: $("$DOCKER" version --format '{{.Server.Version}}')"

# The Debian base the Lambda stand-ins are built from is provisioned by the same code the tests use
# (test/integ/support/provision.ts: pull where a registry is reachable, else debootstrap, as root here).
if [ -x node_modules/.bin/ts-node ]; then
  node_modules/.bin/ts-node --transpile-only --project test/tsconfig.json test/integ/support/provision.ts
else
  log "node_modules is not installed yet: the tests (or .ci/build-standins.ts after npm ci) provision $BASE_TAG"
fi

# The Lambda stand-ins (Node.js with aws-lambda-ric, Python with a bootstrap) are built by the
# integ tests' ensure step (test/integ/support/standins.ts), once per run and cached by tag.
