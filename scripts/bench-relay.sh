#!/usr/bin/env bash
# `npm run bench:relay`: starts the local Postgres and Kafka if needed, then runs the outbox
# relay benchmark (libs/messaging/bench/relay.bench.ts) and prints its figures.
source "$(dirname "$0")/env.sh"
bash scripts/infra/infra.sh start postgres kafka
export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
export BENCH_ADMIN_URL="postgres://postgres@127.0.0.1:${PGPORT:-5432}/postgres"
export TS_NODE_PROJECT=tsconfig.base.json TS_NODE_BASEURL=. TS_NODE_TRANSPILE_ONLY=true
exec node -r ts-node/register -r tsconfig-paths/register libs/messaging/bench/relay.bench.ts
