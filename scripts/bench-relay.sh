#!/usr/bin/env bash
# `npm run bench:relay`: starts the local Postgres and Kafka if needed, then runs the outbox
# relay benchmark (libs/messaging/bench/relay.bench.ts) and prints its figures.
source "$(dirname "$0")/env.sh"
bash scripts/infra/infra.sh start postgres kafka
export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT:-9092}"
export BENCH_ADMIN_URL="postgres://postgres@127.0.0.1:${PGPORT:-5432}/postgres"
# TLS, verified against the local CA libs/infra made in the cache (scripts/infra/lib.sh says where), unless SHOP_TLS=off.
if [[ "${SHOP_TLS:-on}" != off ]]; then
  source scripts/infra/lib.sh
  export KAFKA_SECURITY_PROTOCOL=SASL_SSL NODE_EXTRA_CA_CERTS="$SHOP_CACHE_DIR/tls/ca.pem"
  BENCH_ADMIN_URL+="?sslmode=verify-full&sslrootcert=$NODE_EXTRA_CA_CERTS"
fi
exec tsx --tsconfig tsconfig.base.json libs/messaging/bench/relay.bench.ts
