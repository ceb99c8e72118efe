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
cleanup() {
  if [ ${#started[@]} -gt 0 ]; then
    echo "[test] stopping infrastructure started by this run: ${started[*]}"
    $INFRA stop "${started[@]}" || true
  fi
}
trap cleanup EXIT

step() { echo; echo "[test] ==== $* ===="; }
# Runs a step and keeps its output, so the closing line can count the tests that ran.
run() { "$@" 2>&1 | tee -a "$LOG"; }

step "lint, typecheck, unit tests, build"
run nx run-many -t lint typecheck test build --outputStyle=static

step "contract tests (Pact): every consumer writes its pacts, then every provider verifies them"
run nx run-many -t pact-consumer --outputStyle=static
run nx run-many -t pact-provider --outputStyle=static

step "local infrastructure and tools (first run on a machine: 10 to 20 minutes, mostly building Jaeger, promtool and Helm)"
bash scripts/infra/provision.sh all
for component in postgres kafka jaeger mailpit registry; do
  # `status <component>` exits 0 only when it is running and healthy.
  if ! $INFRA status "$component" >/dev/null 2>&1; then started+=("$component"); fi
done
$INFRA start postgres kafka jaeger mailpit registry

step "integration tests (real Postgres, Kafka, Jaeger, Mailpit and the schema registry) and the offline deployment checks"
run nx run-many -t integration --parallel=2 --outputStyle=static

step "container images for docker compose (podman; first run on a machine: about 10 minutes, then cached)"
run bash scripts/compose.sh build

step "end-to-end: npm run shop and npm run compose on their own ports, a private shop per spec"
run nx run shop-e2e:e2e --outputStyle=static

step "chaos, short form: a private shop under load through every kind of fault (npm run chaos is the long form)"
run nx run bench:chaos --outputStyle=static

# Jest prints "Tests: [N failed, ]N passed, N total" per run; add them up.
count() { sed 's/\x1b\[[0-9;]*m//g' "$LOG" | grep -E '^Tests: ' | { grep -Eo "[0-9]+ $1" || true; } | awk '{s += $1} END {print s + 0}'; }
passed="$(count passed)"
failed="$(count failed)"
echo
echo "[test] all suites passed"
echo "$passed passed, $failed failed"
