#!/usr/bin/env bash
# Brings up a real Docker engine and the local Debian base image the integ tests build
# their Lambda stand-ins from. Idempotent: every step is skipped when already done.
# Runs as root on a fresh Debian 12 machine (no registry reachable, Debian mirror is).
set -euo pipefail

DOCKER=/usr/bin/docker            # Debian's client: BuildKit built in (the other client on PATH refuses BuildKit builds)
BASE_TAG=local/debian:bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
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

if ! "$DOCKER" image inspect "$BASE_TAG" >/dev/null 2>&1; then
  rootfs=$(mktemp -d /tmp/bookworm-rootfs.XXXXXX)
  log "debootstrap bookworm into $rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >/tmp/debootstrap.log 2>&1 \
    || { tail -50 /tmp/debootstrap.log; exit 1; }
  # Containers reach the mirror over http only; keep apt's lists out of the image.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | "$DOCKER" import - "$BASE_TAG" >/dev/null
  rm -rf "$rootfs"
fi
log "base image $BASE_TAG ready"

# The Lambda stand-ins (Node.js with aws-lambda-ric, Python with a bootstrap) are built by the
# integ tests' ensure step (test/integ/support/standins.ts), once per run and cached by tag.
