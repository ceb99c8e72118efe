#!/usr/bin/env bash
# Local infra without Docker: Kafka (KRaft), PostgreSQL, Jaeger v2, Mailpit and, when named,
# Keycloak and the schema registry; all on 127.0.0.1, runtime data under $SHOP_RUN_DIR.
#
#   scripts/infra/infra.sh start|stop|status|logs [-f] [-n N] [kafka|postgres|jaeger|mailpit|keycloak|registry ...]
#
# Default components: kafka postgres jaeger mailpit (keycloak and registry only when named). A second
# independent set: give it another SHOP_RUN_DIR and other ports (see scripts/infra/README.md).
#
# The components are defined in TypeScript, libs/infra (one file per component); this is its entry
# point, run with tsx on the project's Node 24 (both in node_modules/.bin, which goes first on PATH
# as in scripts/env.sh, so the scripts it runs get that Node too). It does not source env.sh: that
# may run npm install, and `npm run shop` runs this script beside its own install.
set -euo pipefail
began="${EPOCHREALTIME/[.,]/.}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
bin="$root/node_modules/.bin"
if [[ ! -x "$bin/tsx" || ! -x "$bin/node" ]]; then
  echo "[infra] no tsx or node in $bin: run npm install first (npm run shop and npm test do)" >&2
  exit 1
fi
PATH="$bin:$PATH" SHOP_INFRA_T0="$began" exec "$bin/tsx" --tsconfig "$root/tsconfig.base.json" "$root/libs/infra/src/cli.ts" "$@"
