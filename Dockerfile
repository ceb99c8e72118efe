# One image for the five services, analytics and the ops console; SERVICE (order, inventory, payment,
# shipping, notification, analytics, console) chooses which one runs. Build: `npx nx run deploy-checks:image` (docker build -t shop-platform .).
# syntax=docker/dockerfile:1
# NODE_IMAGE: the official Node image by default; `npm run compose` passes a local build of the same
# interface (docker/local-images/node) on machines that reach no image registry.
ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# --- build: the whole workspace, then the bundles (dist/apps/<service>/main.js; the console's page in dist/apps/console-web) ---
FROM ${NODE_IMAGE} AS build
WORKDIR /workspace
COPY package.json package-lock.json ./
# Fixes to dependencies (patch-package), applied by the install's postinstall.
COPY patches ./patches
# npm install, not npm ci: the lock file lacks the other-platform optional packages of
# sass-embedded (a dev dependency of @nx/webpack) and npm ci refuses it (see scripts/env.sh).
RUN npm install --no-audit --no-fund
COPY . .
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
RUN npx nx run-many -t build -p order inventory payment shipping notification analytics console --outputStyle=static

# --- production dependencies only (the bundles keep node_modules external) ---
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# Without scripts (and without patch-package, a dev dependency): take the patched packages from
# the build stage (patches/kafkajs+2.2.4.patch).
COPY --from=build /workspace/node_modules/kafkajs ./node_modules/kafkajs

# --- runtime: non-root, no build tools, no sources ---
FROM ${NODE_IMAGE}
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /workspace/dist/apps ./dist/apps
COPY --chown=node:node package.json docker/start.js docker/healthcheck.js ./
USER node
# Liveness of the chosen service (PORT, or the service's default port).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "healthcheck.js"]
ENTRYPOINT ["node", "start.js"]
