#!/usr/bin/env bash
# `npm run shop`: provision and start the local infrastructure, build and start the five
# services and the ops console, wait until all are ready, print where to look. Ctrl-C stops what
# it started.
#
# On a fresh machine most of the time goes to fetching and building the infrastructure, so it
# runs beside npm install and the Nx build instead of after them (a warm cache only checks marker
# files): Kafka, Keycloak and the schema registry from Maven Central (one after the other:
# Maven's local repository is not safe for two runs at once), Postgres (apt-get when missing) and
# Mailpit (a Go build) beside them, at a lower CPU priority than npm install and the build, which
# are the longer path (measured cold: npm install took 241 s beside them at equal priority, 79 s
# alone). Jaeger, a five-minute Go build on a cold cache, builds at the lowest priority and is not
# waited for: the services run without it and export spans once it answers (scripts/shop.mts
# starts it when it is built).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
log_dir="${SHOP_LOG_DIR:-$root/.run/logs}"
mkdir -p "$log_dir"

nice -n 10 bash "$root/scripts/infra/provision.sh" kafka keycloak registry &
maven=$!
nice -n 10 bash "$root/scripts/infra/provision.sh" postgres mailpit &
others=$!
jaeger_build=""
if ! bash "$root/scripts/infra/provision.sh" --check jaeger; then
  echo "[shop] Jaeger is not built yet: building it in the background at low priority (cold: about 5 minutes; log: $log_dir/jaeger-build.log)"
  # Its own process group, which the supervisor stops with everything else (or this script, if it
  # fails before handing over).
  setsid nice -n 19 bash "$root/scripts/infra/provision.sh" jaeger >"$log_dir/jaeger-build.log" 2>&1 </dev/null &
  jaeger_build=$!
  trap 'kill -- "-$jaeger_build" 2>/dev/null || true' EXIT
fi

source "$root/scripts/env.sh"
echo "[shop] building the five services and the console..."
nx run-many -t build --projects=order,inventory,payment,shipping,notification,console --outputStyle=static

for job in "$maven" "$others"; do
  if ! wait "$job"; then
    echo "[shop] provisioning the infrastructure failed (see the [infra] lines above)" >&2
    exit 1
  fi
done
SHOP_JAEGER_BUILD_PGID="$jaeger_build" exec node scripts/shop.mts "$@"
