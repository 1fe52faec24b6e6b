#!/usr/bin/env bash
# Builds debian:12-slim from Debian's own package mirror with debootstrap, for machines that reach
# Debian's packages but no container registry. Afterwards `/lease provision debian` works offline.
set -euo pipefail
image="${1:-debian:12-slim}"
docker image inspect "$image" >/dev/null 2>&1 && { echo "$image is already here"; exit 0; }
command -v debootstrap >/dev/null || {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  else
    echo "Please install debootstrap (Debian/Ubuntu: sudo apt-get install debootstrap)" >&2
    exit 1
  fi
}
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
debootstrap --variant=minbase bookworm "$rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >/dev/null
tar -C "$rootfs" -c . | docker import -c 'CMD ["bash"]' - "$image" >/dev/null
echo "made $image"
