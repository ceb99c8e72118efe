#!/usr/bin/env bash
# `npm run shop`: provision and start the local infrastructure, build and start the five
# services and the ops console, wait until all are ready, print where to look. Ctrl-C stops what
# it started.
#
# On a fresh machine most of the time goes to fetching and building the infrastructure, so it
# begins here, beside npm install (a warm cache only checks marker files), in process groups of
# its own that the supervisor (scripts/shop.mts) stops on Ctrl-C:
# - Kafka, Keycloak and the schema registry from Maven Central (one after the other: Maven's local
#   repository is not safe for two runs at once) and Postgres (apt-get when missing), at a lower
#   CPU priority than npm install and the build (measured cold: npm install took 241 s beside
#   them at equal priority, 79 s alone). The supervisor starts each as soon as it is there.
# - Mailpit and Jaeger, Go builds of minutes on a cold cache, at the lowest priority and not
#   waited for: the services run without them (the notification service keeps its emails until
#   an SMTP server answers; spans are exported once Jaeger answers), and the supervisor starts
#   each when it is built and says so.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
log_dir="${SHOP_LOG_DIR:-$root/.run/logs}"
mkdir -p "$log_dir"
provision="$root/scripts/infra/provision.sh"

groups=()
# If this script fails before handing over (npm install, say), it stops what it began.
trap 'for g in "${groups[@]}"; do kill -- "-$g" 2>/dev/null || true; done' EXIT
setsid nice -n 10 bash "$provision" kafka keycloak registry </dev/null &
groups+=("$!")
setsid nice -n 10 bash "$provision" postgres </dev/null &
groups+=("$!")
for tool in mailpit jaeger; do
  if ! bash "$provision" --check "$tool"; then
    echo "[shop] ${tool^} is not built yet: building it in the background at the lowest priority (log: $log_dir/$tool-build.log); the shop does not wait for it"
    setsid nice -n 19 bash "$provision" "$tool" >"$log_dir/$tool-build.log" 2>&1 </dev/null &
    groups+=("$!")
  fi
done

source "$root/scripts/env.sh"
trap - EXIT
SHOP_PROVISION_PGIDS="${groups[*]}" exec node scripts/shop.mts "$@"
