#!/usr/bin/env bash
# The chaos run on the packaged services: scripts/chaos.sh [GENERATIONS] [MINUTES] [options]
# (default 2000 generations over 15 minutes). Kills every service at random moments (three times
# each; dispatcher and adapter run two replicas), kills and restarts the Kafka broker, stops
# PostgreSQL for 3 minutes, injects 10 % fal faults; then waits for every accepted generation to
# end and checks the money. Prints a report; exits non-zero on any violation.
# Options: --seed N, --kills-per-service N, --broker-kills N, --database-outage PT3M,
# --fault-rate 0.10, --work-dir DIR (logs and data, default .chaos).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-tools.sh

needs_build=false
for module in fal-emulator billing-service request-service dispatcher-service fal-adapter storage-service; do
  [ -f "$module/target/quarkus-app/quarkus-run.jar" ] || needs_build=true
done
[ -f local-stack/target/local-stack.jar ] || needs_build=true
if [ "$needs_build" = false ] && [ -n "$(find . -path ./.run -prune -o -path ./.chaos -prune -o \( -name '*.java' -o -name '*.properties' -o -name '*.sql' -o -name pom.xml \) -newer local-stack/target/local-stack.jar -print -quit)" ]; then
  needs_build=true
fi
if [ "$needs_build" = true ]; then
  echo "[chaos] building (./mvnw package -DskipTests)"
  ./mvnw -B -q package -DskipTests
fi

exec java -cp "local-stack/target/local-stack.jar:local-stack/target/lib/*" ai.vidgen.localstack.chaos.ChaosCommand \
  --project-root . "$@"
