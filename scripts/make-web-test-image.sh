#!/usr/bin/env bash
# Makes local/busybox-web:latest for the port proxy's tests: the static busybox of
# make-test-image.sh (whose httpd serves pages) plus Debian's websocketd (a WebSocket server around
# any program: `websocketd --port=9000 cat` echoes) and the C library it links against.
set -euo pipefail
image="${TEST_WEB_IMAGE:-local/busybox-web:latest}"
docker image inspect "$image" >/dev/null 2>&1 && exit 0
websocketd=$(command -v websocketd) || { echo "websocketd is missing (apt-get install websocketd)" >&2; exit 1; }
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc" "$rootfs/www"
cp /bin/busybox "$rootfs/bin/busybox"
for applet in $("$rootfs/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$rootfs/bin/$applet"
done
cp "$websocketd" "$rootfs/bin/websocketd"
# The loader and libraries websocketd links against, at the paths it looks for them.
for lib in $(ldd "$websocketd" | grep -o '/[^ ]*'); do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
tar -C "$rootfs" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - "$image" >/dev/null
echo "made $image"
