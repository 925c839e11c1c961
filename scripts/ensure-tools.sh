#!/usr/bin/env bash
# Installs what the build, the tests and the local stack need and a fresh Debian machine lacks:
# PostgreSQL server binaries (tests make throwaway clusters with initdb), ffmpeg (the fal
# emulator renders real MP4s with it), kcat (a non-Java Kafka producer for the ingest tests),
# Prometheus (the dashboard query check) and kubectl (its kustomize renders deploy/ for the manifest
# checks). Idempotent and quick when everything is there.
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v kubectl >/dev/null 2>&1 || missing+=(kubectl)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing: ${missing[*]}. Install them with your package manager (Debian: apt-get install ${missing[*]})." >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
