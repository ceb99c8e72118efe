#!/usr/bin/env bash
# `npm run shop`: provision and start the local infrastructure, build and start the five
# services and the ops console, wait until all are ready, print where to look. Ctrl-C stops what
# it started.
#
# On a fresh machine most of the time goes to fetching and building the infrastructure, so this
# script brings each component up (provision, then start) from the first second, beside npm install
# and the build, one job per component:
# - Postgres (apt-get when missing), the schema registry and Kafka (from Maven Central; Maven's
#   local repository takes one fetch at a time), provisioned at a lower CPU priority (nice 10)
#   than npm install and the build, and started as soon as they are there and npm install is done
#   (infra.sh is TypeScript, libs/infra, run with the tsx and Node 24 that npm install brings).
# - Keycloak at normal priority: its fetch, one-time build and first start are the longest way to
#   a signed-in order.
# - Mailpit and Jaeger, Go builds of minutes on a cold cache, at the lowest priority (nice 19).
#   Nothing waits for them while they build: the notification service keeps its emails until an
#   SMTP server answers, and the services export spans once Jaeger answers.
# Each job holds a lock ($SHOP_START_LOCKS/<component>) until its component is up or has failed;
# the supervisor (scripts/shop.mts, on tsx's loader) waits on that lock, then starts the component
# itself with libs/infra in-process (which finds it running, or tries again and reports what
# failed), owns it from then on, and stops everything on Ctrl-C. What was already running is used
# and left running.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# --brokers 1|3 (scripts/shop.mts reads the other options): Kafka is started below, before the
# supervisor runs, so the node count is read here and handed on as libs/infra's KAFKA_NODES.
brokers=1 args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --brokers) brokers="${args[i + 1]:-}" ;;
    --brokers=*) brokers="${args[i]#--brokers=}" ;;
  esac
done
if [[ "$brokers" != 1 && "$brokers" != 3 ]]; then
  echo "[shop] --brokers must be 1 or 3, got \"$brokers\"" >&2
  exit 2
fi
export KAFKA_NODES="$brokers"
log_dir="${SHOP_LOG_DIR:-$root/.run/logs}"
mkdir -p "$log_dir"
provision="$root/scripts/infra/provision.sh"
infra="$root/scripts/infra/infra.sh"
locks="$(mktemp -d "${TMPDIR:-/tmp}/shop-start.XXXXXX")"

running=() ours=() groups=()
exec 3>&1 # the jobs' output, for those that print to ours
# If this script fails before handing over (npm install, say), it stops what it began.
cleanup() {
  for g in "${groups[@]}"; do kill -- "-${g#*=}" 2>/dev/null || true; done
  if ((${#ours[@]})); then bash "$infra" stop "${ours[@]}" || true; fi
  rm -rf "$locks"
}
trap cleanup EXIT
# Held until npm install is done: every `infra.sh start` needs it (libs/infra runs on its tsx and Node).
exec {dependencies}>"$locks/.dependencies"
flock "$dependencies"

# A job: provision the component at the given priority, wait for the lock in $3 (if any), start it.
# shellcheck disable=SC2016 # expanded by the job's bash
job='{ bash "$PROVISION" --check "$1" || nice -n "$2" bash "$PROVISION" "$1"; } && { [[ -z "$3" ]] || flock "$3" true; } && exec bash "$INFRA" start "$1"'
components=(postgres kafka registry keycloak mailpit jaeger)
# What runs already, in one status call (each call starts tsx): "<name> <state> ..." per line.
declare -A state=()
while read -r name st _; do state[$name]="$st"; done < <(bash "$infra" status "${components[@]}" 2>/dev/null || true)
for c in "${components[@]}"; do
  if [[ "${state[$c]:-}" == running ]]; then
    running+=("$c") # someone else's: used, and left running
    continue
  fi
  ours+=("$c")
  priority=10 log="" after="$locks/.dependencies"
  [[ "$c" != keycloak ]] || priority=0 # the longest way to a signed-in order: fetch, one-time build, first start
  if [[ "$c" == mailpit || "$c" == jaeger ]]; then
    priority=19
    if ! bash "$provision" --check "$c"; then
      log="$log_dir/$c-build.log"
      echo "[shop] ${c^} is not built yet: building it in the background at the lowest priority (log: $log); the shop does not wait for it"
    fi
  fi
  # Each job in a process group of its own (set -m) but in this session: a new session (setsid)
  # would be a scheduler autogroup of its own, where nice has no effect on anything outside it.
  # Started from a subshell, so the job is not a child of the supervisor that replaces this
  # script (which would leave it unreaped). flock -o: the servers infra.sh starts do not inherit
  # the lock, which is released when the job ends.
  bring_up=(flock -o "$locks/$c" env PROVISION="$provision" INFRA="$infra" bash -c "$job" _ "$c" "$priority" "$after")
  if [[ -n "$log" ]]; then
    pgid="$(set -m; "${bring_up[@]}" >"$log" 2>&1 3>&- {dependencies}>&- </dev/null & echo $!)"
  else
    pgid="$(set -m; "${bring_up[@]}" >&3 2>&3 3>&- {dependencies}>&- </dev/null & echo $!)"
  fi
  groups+=("$c=$pgid")
done
exec 3>&-

source "$root/scripts/env.sh"
exec {dependencies}>&-
trap - EXIT
# Node with tsx's loader (libs/infra's TypeScript, in-process), in this one process: the tsx command
# would run it as its child and pass Ctrl-C on a second time, which the supervisor takes as "stop now".
SHOP_START_LOCKS="$locks" SHOP_BRING_UP_PGIDS="${groups[*]}" SHOP_INFRA_RUNNING_BEFORE="${running[*]}" exec node --import tsx scripts/shop.mts "$@"
