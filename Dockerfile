# Gatehouse container image on the recommended Node LTS (24): a build stage compiles TypeScript and
# the console (the SQLite driver ships Node-API binaries, so no compiler is needed), the runtime stage
# carries only what `gatehouse serve` needs and runs as an unprivileged user.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY . .
# No install script is needed (whatever the image's npm makes of allowScripts); the build runs on its own.
RUN npm ci --no-audit --no-fund --ignore-scripts && npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
# Runtime tuning is the deployment's, not the gateway's (docs/operations/runtime-tuning.md, with what
# each setting measured): glibc's malloc with 2 arenas here, and the V8 flags on the ENTRYPOINT below
# (Node refuses --heap-growing-percent and --no-maglev in NODE_OPTIONS). Plain Node instead:
#   docker run --entrypoint node IMAGE dist/cli/main.js serve    (and -e MALLOC_ARENA_MAX= for glibc's default)
ENV NODE_ENV=production \
    GATEHOUSE_HOST=0.0.0.0 \
    GATEHOUSE_PORT=8080 \
    GATEHOUSE_DATA_DIR=/var/lib/gatehouse \
    GATEHOUSE_SHUTDOWN_DELAY_MS=5000 \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN useradd --system --uid 10001 --home /var/lib/gatehouse gatehouse && mkdir -p /var/lib/gatehouse && chown gatehouse /var/lib/gatehouse
USER gatehouse
VOLUME ["/var/lib/gatehouse"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=2s CMD node -e "fetch('http://127.0.0.1:8080/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "--max-semi-space-size=8", "--heap-growing-percent=50", "--no-maglev", "dist/cli/main.js"]
CMD ["serve"]
