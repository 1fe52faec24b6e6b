#!/usr/bin/env bash
# Builds a Node 20 base image for the product's Dockerfile on machines that reach no container
# registry: debian:12-slim (from Debian's mirror, scripts/make-debian-image.sh) plus this machine's
# own Node 20 and npm. Debian 12's nodejs package is Node 18, older than the product needs, so the
# host's Node (NodeSource's build, which links only libc, libstdc++ and libgcc, all in
# debian:12-slim) is the honest choice: the image runs exactly the Node the tests run on.
# It trusts the certificate authorities this machine trusts (its CA bundle), so npm works behind
# the same TLS-inspecting proxy the host works behind.
# Where Docker Hub is reachable, use node:20-bookworm-slim instead (the Dockerfile's default).
#   scripts/make-node-image.sh [tag]     default local/node:20-bookworm-slim
set -euo pipefail
cd "$(dirname "$0")/.."
image="${1:-local/node:20-bookworm-slim}"
node_bin=$(command -v node)
version=$("$node_bin" --version)
case "$version" in v20.*) ;; *) echo "This machine's node is $version; the image needs Node 20" >&2; exit 1 ;; esac
# Rebuilt when the host's Node changes, so the tag always says what is inside.
[ "$(docker image inspect -f '{{index .Config.Labels "org.nodejs.version"}}' "$image" 2>/dev/null)" = "$version" ] &&
  { echo "$image ($version) is already here"; exit 0; }
scripts/make-debian-image.sh debian:12-slim
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp "$(readlink -f "$node_bin")" "$context/node"
cp -r "$npm_dir" "$context/npm"
cp /etc/ssl/certs/ca-certificates.crt "$context/ca-certificates.crt"
cat >"$context/Dockerfile" <<DOCKERFILE
FROM debian:12-slim
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
LABEL org.nodejs.version="$version"
CMD ["node"]
DOCKERFILE
docker build -q -t "$image" "$context" >/dev/null 2>"$context/build.log" || { cat "$context/build.log" >&2; exit 1; }
echo "made $image ($version)"
