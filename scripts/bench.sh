#!/usr/bin/env bash
# `npm run bench`: builds the five services and analytics, then apps/bench starts its own shop on private
# ports, puts it under load and writes bench/results/<time>.{md,json}. Options: --help.
source "$(dirname "$0")/env.sh"
echo "[bench] building the five services and analytics..."
nx run-many -t build --projects=order,inventory,payment,shipping,notification,analytics --outputStyle=static
exec tsx --tsconfig apps/bench/tsconfig.json apps/bench/src/main.ts "$@"
