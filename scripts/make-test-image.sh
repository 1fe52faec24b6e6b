#!/usr/bin/env bash
# Makes local/busybox:latest from Debian's static busybox: no image registry is needed, so tests
# and demos work on machines that cannot pull.
set -euo pipefail
image="${TEST_IMAGE:-local/busybox:latest}"
docker image inspect "$image" >/dev/null 2>&1 && exit 0
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc"
cp /bin/busybox "$rootfs/bin/busybox"
for applet in $("$rootfs/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
tar -C "$rootfs" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - "$image" >/dev/null
echo "made $image"
