#!/usr/bin/env bash
# `npm run chaos`: builds the five services and analytics, then apps/bench/src/chaos starts its own shop on
# private ports, runs it under a steady load through one fault after another, checks it after
# each and writes bench/results/chaos-<time>.{md,json}. `-- --cluster`: the same on three Kafka nodes
# and two replicas of each service, with that topology's faults. Options: --help.
source "$(dirname "$0")/env.sh"
echo "[chaos] building the five services and analytics..."
nx run-many -t build --projects=order,inventory,payment,shipping,notification,analytics --outputStyle=static
exec tsx --tsconfig apps/bench/tsconfig.json apps/bench/src/chaos/main.ts "$@"
