#!/usr/bin/env bash
# Makes a PostgreSQL server answer on PGHOST:PGPORT (default 127.0.0.1:5432) for PGUSER with
# PGPASSWORD (default postgres/postgres): uses one that already answers, otherwise starts the
# machine's cluster (creating it if there is none). Idempotent; quick when the server is up.
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PGPASSWORD=${PGPASSWORD:-postgres}
export PGPASSWORD

can_login() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; }

if can_login; then
  exit 0
fi

if ! pg_isready -h "$PGHOST" -p "$PGPORT" -q 2>/dev/null; then
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    echo "no PostgreSQL answers on $PGHOST:$PGPORT and this is not a Debian-style installation;" \
         "start one, or set PGHOST/PGPORT/PGUSER/PGPASSWORD" >&2
    exit 1
  fi
  if [ "$(pg_lsclusters -h | wc -l)" -eq 0 ]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    echo "creating PostgreSQL $version cluster 'main'"
    pg_createcluster "$version" main --port "$PGPORT" >/dev/null
  fi
  read -r version cluster _ < <(pg_lsclusters -h | awk -v p="$PGPORT" '$3 == p {print $1, $2}')
  if [ -z "${version:-}" ]; then
    echo "no PostgreSQL cluster is configured for port $PGPORT (see pg_lsclusters)" >&2
    exit 1
  fi
  echo "starting PostgreSQL $version/$cluster on port $PGPORT"
  pg_ctlcluster "$version" "$cluster" start
  for _ in $(seq 1 60); do
    pg_isready -h "$PGHOST" -p "$PGPORT" -q && break
    sleep 0.5
  done
fi

if can_login; then
  exit 0
fi
# The Debian cluster allows password logins over TCP only; a fresh one has no password set.
if [ "$PGUSER" = postgres ] && [ "$(id -u)" -eq 0 ]; then
  echo "setting the password of the postgres role (PGPASSWORD)"
  runuser -u postgres -- psql -q -p "$PGPORT" -c "ALTER USER postgres PASSWORD '${PGPASSWORD//\'/\'\'}'"
fi
if ! can_login; then
  echo "PostgreSQL answers on $PGHOST:$PGPORT but $PGUSER cannot log in; set PGUSER/PGPASSWORD" >&2
  exit 1
fi
