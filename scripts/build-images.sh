#!/usr/bin/env bash
# Builds the container images of the five services and the fal emulator (Quarkus Jib) and pushes
# them to the registry in VIDGEN_IMAGE_REGISTRY, tagged <version>-<commit>.
#   VIDGEN_IMAGE_REGISTRY=registry.example.com/team scripts/build-images.sh
# With no registry named, it prepares this machine (scripts/ensure-containers.sh: a local registry
# on 127.0.0.1 and a JRE base image built from Debian packages) and pushes there.
# Registry credentials: Jib reads the Docker/podman credential files and helpers, or
# QUARKUS_CONTAINER_IMAGE_USERNAME / QUARKUS_CONTAINER_IMAGE_PASSWORD. Maven arguments are passed on
# (e.g. -o for an offline build).
set -euo pipefail
cd "$(dirname "$0")/.."

MODULES=(fal-emulator billing-service request-service dispatcher-service fal-adapter storage-service)

if [ -z "${VIDGEN_IMAGE_REGISTRY:-}" ]; then
  containers_env=$(scripts/ensure-containers.sh)
  eval "$containers_env"
fi
export VIDGEN_IMAGE_REGISTRY

modules=$(IFS=,; echo "${MODULES[*]}")
./mvnw -B -q package -DskipTests -pl "$modules" -am "$@"

echo "images pushed:"
for module in "${MODULES[@]}"; do
  # Quarkus records the image it built next to the application.
  sed -n 's/^metadata.container-image=//p' "$module/target/quarkus-artifact.properties" | sed 's/\\//g; s/^/  /'
done
