# ContainerLease as a container image. Two stages: one compiles with the dev dependencies, the
# other runs with only the production ones, as an unprivileged user.
#   docker build -t containerlease .
# NODE_IMAGE is any Debian-based Node 20 image. Where no registry is reachable,
# scripts/make-node-image.sh builds local/node:20-bookworm-slim from Debian's mirror and this
# machine's Node (docs/deploy.md says why), and CI builds with
#   docker build --build-arg NODE_IMAGE=local/node:20-bookworm-slim .
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# The lock file first, so a change of source alone reuses the installed dependencies.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/bundle-page.mjs scripts/
COPY src src
RUN npm run build --silent && npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM ${NODE_IMAGE}
# The product writes only DATA_DIR (its instance id, and a link secret outside production);
# Redis lives elsewhere (REDIS_URL). The user is fixed so that a volume's owner can be too.
RUN groupadd --system --gid 10001 containerlease \
 && useradd --system --uid 10001 --gid containerlease --home-dir /data --shell /usr/sbin/nologin containerlease \
 && mkdir /data && chown containerlease:containerlease /data
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/dist dist
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000 \
    LOG_FORMAT=json
VOLUME /data
EXPOSE 3000
USER containerlease
# /healthz answers while the process serves; /readyz (Redis and Docker) is for the orchestrator.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches node directly (exec form): it finishes what it is doing and exits within 20 s.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
