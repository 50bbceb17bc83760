#!/usr/bin/env bash
# Makes sure a JDK with jdb is present: the Java debugger proof attaches the JDK's own jdb to the function's JVM.
# Machines of this kind ship one; this installs Debian's where it is missing. Idempotent; runs as root on Debian 12.
set -euo pipefail
if ! command -v jdb >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  echo "[setup-jdk] installing openjdk-17-jdk-headless"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless >/dev/null
fi
echo "[setup-jdk] $(javac -version 2>&1), jdb at $(command -v jdb)"
