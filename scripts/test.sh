#!/usr/bin/env bash
# `npm test`: the whole suite. Static checks and unit tests first (fast failures), then the
# integration suites against the real Postgres and Kafka, which this script starts itself,
# then the end-to-end suite. Infrastructure that was not running before is stopped at the end.
source "$(dirname "$0")/env.sh"

INFRA="bash scripts/infra/infra.sh"
LOG_DIR="$SHOP_ROOT/.run/test"
mkdir -p "$LOG_DIR"
LOG="$LOG_DIR/npm-test.log"
: >"$LOG"

started=()
provision_pid=""
images_pid=""
cleanup() {
  local pid
  for pid in "$provision_pid" "$images_pid"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -- "-$pid" 2>/dev/null || true; fi
  done
  if [ ${#started[@]} -gt 0 ]; then
    echo "[test] stopping infrastructure started by this run: ${started[*]}"
    $INFRA stop "${started[@]}" || true
  fi
}
trap cleanup EXIT

# Each step prints when it starts; the closing lines list how long each took (SECONDS counts from
# the start of this script).
step_names=()
step_starts=()
step() {
  step_names+=("$*")
  step_starts+=("$SECONDS")
  echo
  echo "[test] ==== $* ==== (at $(minutes "$SECONDS"))"
}
minutes() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
step_times() {
  local i end
  for i in "${!step_names[@]}"; do
    end="${step_starts[$((i + 1))]:-$SECONDS}"
    printf '[test] %8s  %s\n' "$(minutes $((end - step_starts[i])))" "${step_names[$i]%% (*}"
  done
  printf '[test] %8s  in all\n' "$(minutes "$SECONDS")"
}
# Runs a step and keeps its output, so the closing line can count the tests that ran.
run() { "$@" 2>&1 | tee -a "$LOG"; }

# Long preparations run in the background, beside the steps that do not need them yet: a command
# at the lowest CPU priority (same session, so nice applies), in its own process group (set -m),
# so a failing run stops it and its children (cleanup), its output in a log. `in_background VAR
# LOG COMMAND...` starts one and puts its pid in VAR; `await_background VAR WHAT LOG` waits for
# it, and on failure prints the log's last lines and stops the run.
in_background() {
  local -n job_pid=$1
  local log=$2
  shift 2
  set -m
  nice -n 19 "$@" </dev/null >"$log" 2>&1 &
  job_pid=$!
  set +m
}
await_background() {
  local -n job_pid=$1
  local what=$2 log=$3
  if ! wait "$job_pid"; then
    job_pid=""
    echo "[test] $what failed; the last lines of $log:" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
  job_pid=""
}

# The local infrastructure and tools (Keycloak too: the compose images and the end-to-end shops
# need it) are provisioned from the start, beside the static checks and unit tests: on a fresh
# machine their downloads and Go builds take minutes, and the integration step is the first to
# need them. On a provisioned machine this only checks markers.
PROVISION_LOG="$LOG_DIR/provision.log"
in_background provision_pid "$PROVISION_LOG" bash scripts/infra/provision.sh all keycloak
echo "[test] provisioning the local infrastructure and tools in the background (output: $PROVISION_LOG)"

step "lint, typecheck, unit tests, build"
run nx run-many -t lint typecheck test build --outputStyle=static

step "contract tests (Pact): every consumer writes its pacts, then every provider verifies them"
run nx run-many -t pact-consumer --outputStyle=static
run nx run-many -t pact-provider --outputStyle=static

step "local infrastructure and tools (first run on a machine: about 18 minutes, mostly building Jaeger, promtool and Helm; started beside the unit tests)"
await_background provision_pid "provisioning" "$PROVISION_LOG"
grep -E '^\[infra\] .*(ready in|built in|done in|already provisioned)' "$PROVISION_LOG" || true
# Keycloak is not started here: the one integration suite that needs the shared Keycloak
# (inventory's stock receipts) starts it itself, as the test helpers do; the run stops it too.
for component in postgres kafka jaeger mailpit registry keycloak; do
  # `status <component>` exits 0 only when it is running and healthy.
  if ! $INFRA status "$component" >/dev/null 2>&1; then started+=("$component"); fi
done
$INFRA start postgres kafka jaeger mailpit registry

# The container images for docker compose are built beside the integration tests, in the
# background like the provisioning above: on a fresh machine they take minutes (the Debian base,
# the Prometheus build, the shop image's npm install and Nx build), and only the end-to-end step
# needs them. On a machine that has them, podman's cache answers.
IMAGES_LOG="$LOG_DIR/images.log"
in_background images_pid "$IMAGES_LOG" bash scripts/compose.sh build
echo "[test] building the container images for docker compose in the background (output: $IMAGES_LOG)"

step "integration tests (real Postgres, Kafka, Jaeger, Mailpit and the schema registry) and the offline deployment checks"
run nx run-many -t integration --parallel=2 --outputStyle=static

step "container images for docker compose (podman; first run on a machine: about 10 minutes, then cached; started beside the integration tests)"
await_background images_pid "building the images" "$IMAGES_LOG"
grep -E '^\[compose\]|built in|cached' "$IMAGES_LOG" | tee -a "$LOG" || true

step "end-to-end: npm run shop and npm run compose on their own ports, a private shop per spec"
run nx run shop-e2e:e2e --outputStyle=static

step "chaos, short form: a private shop under load through every kind of fault (npm run chaos is the long form)"
run nx run bench:chaos --outputStyle=static

# Jest prints "Tests: [N failed, ]N passed, N total" per run; add them up.
count() { sed 's/\x1b\[[0-9;]*m//g' "$LOG" | grep -E '^Tests: ' | { grep -Eo "[0-9]+ $1" || true; } | awk '{s += $1} END {print s + 0}'; }
passed="$(count passed)"
failed="$(count failed)"
echo
step_times
echo "[test] all suites passed"
echo "$passed passed, $failed failed"
