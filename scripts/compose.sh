#!/usr/bin/env bash
# `npm run compose -- <docker compose arguments>`: docker-compose.yml on podman, with images built
# here (scripts/compose.mts says how). Runs on the project's Node 24.
source "$(dirname "$0")/env.sh"
exec node scripts/compose.mts "$@"
