#!/usr/bin/env bash
# Prepares a machine to run ContainerLease: the Debian packages it needs (when missing and we are
# root on Debian/Ubuntu), a running Docker engine, the npm dependencies and the build.
#   scripts/setup.sh           for running the product
#   scripts/setup.sh --test    also what the tests need: a Redis on :6379, the local test image, Chromium
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=false
[ "${1:-}" = "--test" ] && want_tests=true

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

packages=()
command -v redis-server >/dev/null || packages+=(redis-server)
command -v dockerd >/dev/null || packages+=(docker.io)
command -v iptables >/dev/null || packages+=(iptables)
if $want_tests; then
  [ -x /bin/busybox ] || packages+=(busybox-static)
  command -v chromium >/dev/null || packages+=(chromium)
  # A WebSocket server for the port proxy's tests (copied into local/busybox-web).
  command -v websocketd >/dev/null || packages+=(websocketd)
  # gVisor, so the tests can prove a lease runs under CONTAINER_RUNTIME=runsc.
  command -v runsc >/dev/null || packages+=(runsc)
fi
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "Installing ${packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  else
    echo "Please install: ${packages[*]} (Debian/Ubuntu: sudo apt-get install ${packages[*]})" >&2
    exit 1
  fi
fi

engine_log=/tmp/containerlease-dockerd.log
wait_for_engine() { for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && return 0; sleep 0.5; done; return 1; }

# gVisor is registered with the engine where it is installed, so CONTAINER_RUNTIME=runsc works.
if [ "$(id -u)" = 0 ] && command -v runsc >/dev/null && command -v dockerd >/dev/null; then
  if scripts/register-runsc.mjs /etc/docker/daemon.json "$(command -v runsc)"; then
    pid=$(pidof dockerd || true)
    [ -n "$pid" ] && kill -HUP $pid && sleep 1
  fi
fi

if ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null; then
    say "Starting the Docker engine (log: $engine_log)"
    # With its iptables rules, so the lease network really keeps containers apart (ICC off).
    nohup dockerd >"$engine_log" 2>&1 &
    if ! wait_for_engine; then
      pkill -x dockerd || true
      sleep 2
      echo "The Docker engine would not start with its iptables rules; running it without them (no network isolation between leases)." >&2
      nohup dockerd --iptables=false --ip6tables=false --bridge=none >"$engine_log" 2>&1 &
      wait_for_engine || true
    fi
  fi
  docker info >/dev/null 2>&1 || { echo "The Docker engine is not reachable; start it (e.g. sudo systemctl start docker)." >&2; exit 1; }
fi

if $want_tests; then
  if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
    say "Starting redis-server on 127.0.0.1:6379 for the tests"
    redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null
    for _ in $(seq 1 40); do redis-cli -p 6379 ping >/dev/null 2>&1 && break; sleep 0.25; done
  fi
  scripts/make-test-image.sh
  scripts/make-web-test-image.sh
fi

# The built-in images come from Docker Hub. Where it cannot be reached, Debian's mirror often can.
if ! $want_tests && ! timeout 5 bash -c '</dev/tcp/registry-1.docker.io/443' 2>/dev/null; then
  say "No container registry is reachable: building debian:12-slim from Debian's mirror instead"
  scripts/make-debian-image.sh || echo "Could not build debian:12-slim; /lease provision needs images that are already here." >&2
fi

say "Installing npm dependencies"
npm ci --no-audit --no-fund --loglevel=error
say "Building"
npm run build --silent
