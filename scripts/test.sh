#!/usr/bin/env bash
# `npm test`: the whole suite. Static checks and unit tests first (fast failures), then the
# integration suites against the real Postgres and Kafka, which this script starts itself.
# Infrastructure that was not running before is stopped again at the end.
source "$(dirname "$0")/env.sh"

INFRA="bash scripts/infra/infra.sh"
started=()
cleanup() {
  if [ ${#started[@]} -gt 0 ]; then
    echo "[test] stopping infrastructure started by this run: ${started[*]}"
    $INFRA stop "${started[@]}" || true
  fi
}
trap cleanup EXIT

step() { echo; echo "[test] ==== $* ===="; }

step "lint, typecheck, unit tests, build"
nx run-many -t lint typecheck test build --outputStyle=static

step "local infrastructure"
for component in postgres kafka; do
  # `status <component>` exits 0 only when it is running and healthy.
  if ! $INFRA status "$component" >/dev/null 2>&1; then started+=("$component"); fi
done
$INFRA start postgres kafka

step "integration tests (real Postgres and Kafka)"
nx run-many -t integration --parallel=2 --outputStyle=static

step "end-to-end: npm run shop on its own ports, then Ctrl-C"
nx run shop-e2e:e2e --outputStyle=static

echo
echo "[test] all suites passed"
