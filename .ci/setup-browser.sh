#!/usr/bin/env bash
# Installs Debian's chromium, the real browser the tests drive through playwright-core (Invoke API refusing
# cross-site and DNS-rebinding requests; CORS of the HTTP front doors). Idempotent; runs as root on Debian 12.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "[setup-browser] installing chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "[setup-browser] $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium present')"
