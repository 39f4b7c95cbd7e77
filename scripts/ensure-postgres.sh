#!/usr/bin/env bash
# Installs the PostgreSQL server from Debian's packages when no
# /usr/lib/postgresql/*/bin/initdb exists. Tests and the demo start their own
# throwaway clusters with it; nothing is configured system-wide.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "PostgreSQL server binaries are missing and apt-get is not available: install PostgreSQL 12-17 server binaries." >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing the PostgreSQL server from Debian's packages..." >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib >/dev/null
# The Debian package starts a system cluster; pgsnow never uses it.
$sudo service postgresql stop >/dev/null 2>&1 || true
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
