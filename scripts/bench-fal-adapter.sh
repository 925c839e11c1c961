#!/usr/bin/env bash
# Benchmark of the fal-adapter (issue 3: "it must carry 10,000 requests in flight").
#
# Starts a throwaway Kafka broker and PostgreSQL cluster, the packaged fal emulator (one runner
# per request, each running for INFERENCE) and the PACKAGED fal-adapter as processes, puts
# GENERATIONS generations in flight at once and prints: submit rate, one polling pass over all
# open requests, heap used, database rows, time to drain. The figures also go to
# fal-adapter/target/bench-fal-adapter.txt.
#
#   scripts/bench-fal-adapter.sh [GENERATIONS=10000] [INFERENCE=150s]
#
# Every process it starts is stopped when it ends, fails or is interrupted (the benchmark closes
# them; test-support's watchdogs kill what a dead JVM leaves behind).
set -euo pipefail

GENERATIONS="${1:-10000}"
INFERENCE="${2:-150s}"
cd "$(dirname "$0")/.."

if [[ ! -f fal-emulator/target/quarkus-app/quarkus-run.jar ]]; then
  ./mvnw -B -o -q -pl fal-emulator package -DskipTests
fi

mvn_pid=""
stop() {
  if [[ -n "$mvn_pid" ]] && kill -0 "$mvn_pid" 2>/dev/null; then
    kill "$mvn_pid" 2>/dev/null || true
    wait "$mvn_pid" 2>/dev/null || true
  fi
}
trap stop EXIT INT TERM

# Only the benchmark: no unit tests, no other integration test.
./mvnw -B -o -q -pl fal-adapter verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=FalAdapterBenchIT -Dbench.generations="$GENERATIONS" -Dbench.inference="$INFERENCE" &
mvn_pid=$!
status=0
wait "$mvn_pid" || status=$?
mvn_pid=""

echo
echo "== fal-adapter benchmark: $GENERATIONS generations in flight =="
cat fal-adapter/target/bench-fal-adapter.txt 2>/dev/null || echo "(no figures: the benchmark did not get that far)"
exit "$status"
