#!/usr/bin/env bash
# `npm run shop`: provision and start the local infrastructure, build and start the five
# services and the ops console, wait until all are ready, print where to look. Ctrl-C stops what
# it started.
source "$(dirname "$0")/env.sh"
echo "[shop] building the five services and the console..."
nx run-many -t build --projects=order,inventory,payment,shipping,notification,console --outputStyle=static
exec node scripts/shop.mts "$@"
