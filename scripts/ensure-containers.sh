#!/usr/bin/env bash
# Prepares this machine to build and run the platform's container images, with nothing from an
# outside image registry (none is reachable here):
#   - podman on runc (crun fails on this cgroup layout) with ulimits within the shell's hard limits;
#   - podman's Docker API on a socket, for Testcontainers;
#   - a local OCI registry (Debian's docker-registry) on 127.0.0.1, trusted over plain http;
#   - a JRE base image built from Debian packages (debootstrap) and pushed to that registry, and a
#     two on top of it: with ffmpeg for the fal emulator, PostgreSQL for the containerised
#     platform test.
# Idempotent: what is already there is reused. Prints the environment the build reads, as
# `export NAME=value` lines, so callers do: eval "$(scripts/ensure-containers.sh)".
# Progress goes to stderr.
set -euo pipefail

REGISTRY_PORT="${VIDGEN_LOCAL_REGISTRY_PORT:-5005}"
REGISTRY="127.0.0.1:${REGISTRY_PORT}"
STATE="${VIDGEN_CONTAINERS_STATE:-/var/tmp/vidgen-containers}"
SOCKET="${VIDGEN_PODMAN_SOCKET:-/run/podman/podman.sock}"
DEBIAN_MIRROR="${VIDGEN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
BASE_IMAGE="vidgen/debian-jre:17"
POSTGRES_IMAGE="vidgen/postgresql:15"
EMULATOR_BASE_IMAGE="vidgen/debian-jre-ffmpeg:17"

say() { echo "[containers] $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  say "needs root (it installs packages, configures podman and starts its API service)"
  exit 1
fi

missing=()
for tool in podman runc docker-registry skopeo debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq podman runc docker-registry skopeo debootstrap >/dev/null
fi

mkdir -p "$STATE" /etc/containers/registries.conf.d "$(dirname "$SOCKET")"
hard_nofile=$(ulimit -Hn); [ "$hard_nofile" = unlimited ] && hard_nofile=65536
nofile=$(( hard_nofile < 65536 ? hard_nofile : 65536 ))
cat > /etc/containers/containers.conf <<EOF
# Written by the vidgen platform's scripts/ensure-containers.sh.
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=4096:4096"]
[engine]
runtime = "runc"
EOF
cat > /etc/containers/registries.conf.d/50-vidgen-local.conf <<EOF
# The platform's local registry (scripts/ensure-containers.sh) speaks plain http on loopback.
[[registry]]
location = "${REGISTRY}"
insecure = true
EOF

answers() { curl -fsS --max-time 2 "$@" >/dev/null 2>&1; }

if ! answers --unix-socket "$SOCKET" http://d/_ping; then
  say "starting podman's Docker API at unix://${SOCKET}"
  nohup podman system service --time=0 "unix://${SOCKET}" >"$STATE/podman-service.log" 2>&1 &
  for _ in $(seq 1 50); do answers --unix-socket "$SOCKET" http://d/_ping && break; sleep 0.2; done
  answers --unix-socket "$SOCKET" http://d/_ping || { say "podman's API did not answer:"; tail "$STATE/podman-service.log" >&2; exit 1; }
fi

if ! answers "http://${REGISTRY}/v2/"; then
  say "starting a local registry at ${REGISTRY} (data in $STATE/registry)"
  cat > "$STATE/registry.yml" <<EOF
version: 0.1
storage:
  filesystem:
    rootdirectory: ${STATE}/registry
  delete:
    enabled: true
http:
  addr: ${REGISTRY}
EOF
  nohup docker-registry serve "$STATE/registry.yml" >"$STATE/registry.log" 2>&1 &
  for _ in $(seq 1 50); do answers "http://${REGISTRY}/v2/" && break; sleep 0.2; done
  answers "http://${REGISTRY}/v2/" || { say "the registry did not answer:"; tail "$STATE/registry.log" >&2; exit 1; }
fi

in_registry() { answers "http://${REGISTRY}/v2/${1%%:*}/manifests/${1##*:}" -H 'Accept: application/vnd.oci.image.manifest.v1+json' -H 'Accept: application/vnd.docker.distribution.manifest.v2+json'; }

if ! podman image exists "localhost/${BASE_IMAGE}"; then
  say "building ${BASE_IMAGE} from Debian packages (debootstrap, a few minutes)"
  root="$STATE/debian-jre-root"
  rm -rf "$root"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates-java bookworm "$root" \
    "$DEBIAN_MIRROR" >"$STATE/debootstrap.log" 2>&1 || { say "debootstrap failed:"; tail "$STATE/debootstrap.log" >&2; exit 1; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | podman import --change 'CMD ["/bin/bash"]' - "localhost/${BASE_IMAGE}" >/dev/null
  rm -rf "$root"
fi
if ! in_registry "$BASE_IMAGE"; then
  podman push -q --tls-verify=false "localhost/${BASE_IMAGE}" "${REGISTRY}/${BASE_IMAGE}" >&2
fi

# An image FROM the base with some Debian packages added, then the given Containerfile lines.
build_on_base() {
  local image="$1" packages="$2" extra="$3"
  podman image exists "localhost/${image}" && return 0
  say "building ${image} on ${BASE_IMAGE} (${packages})"
  local ctx="$STATE/context-${image//[\/:]/-}"
  mkdir -p "$ctx"
  printf '%s\n' "FROM localhost/${BASE_IMAGE}" \
    "RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages} >/dev/null && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb" \
    "$extra" > "$ctx/Containerfile"
  podman build -q --network host -t "localhost/${image}" "$ctx" >/dev/null
}

build_on_base "$EMULATOR_BASE_IMAGE" ffmpeg ""
in_registry "$EMULATOR_BASE_IMAGE" \
  || podman push -q --tls-verify=false "localhost/${EMULATOR_BASE_IMAGE}" "${REGISTRY}/${EMULATOR_BASE_IMAGE}" >&2
build_on_base "$POSTGRES_IMAGE" postgresql-15 $'USER postgres\nENV PATH=/usr/lib/postgresql/15/bin:/usr/sbin:/usr/bin:/sbin:/bin'

echo "export DOCKER_HOST=unix://${SOCKET}"
echo "export TESTCONTAINERS_RYUK_DISABLED=true"
echo "export VIDGEN_IMAGE_REGISTRY=${REGISTRY}"
echo "export QUARKUS_CONTAINER_IMAGE_INSECURE=true"
echo "export VIDGEN_BASE_IMAGE=${REGISTRY}/${BASE_IMAGE}"
echo "export VIDGEN_EMULATOR_BASE_IMAGE=${REGISTRY}/${EMULATOR_BASE_IMAGE}"
echo "export VIDGEN_POSTGRES_IMAGE=localhost/${POSTGRES_IMAGE}"
