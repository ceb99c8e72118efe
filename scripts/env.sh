# Sourced by the npm entry points: makes sure dependencies are installed and that every
# command below runs on the project's Node 24 (the npm package `node`), not the machine's.
set -euo pipefail

SHOP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SHOP_ROOT
cd "$SHOP_ROOT"

if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing npm dependencies (about 1-2 minutes on a fresh machine)..."
  echo "[setup] this install runs on the machine's Node, so npm may warn EBADENGINE (packages want"
  echo "[setup] Node >= 22): expected; everything after it runs on Node 24 from node_modules/.bin"
  started=$SECONDS
  # `npm install` (which follows package-lock.json) rather than `npm ci`: the registry these
  # machines reach does not serve sass-embedded's packages for other platforms (an optional
  # dependency of @nx/webpack), and `npm ci` rejects a lock file without them.
  npm install --no-audit --no-fund
  echo "[setup] dependencies installed in $((SECONDS - started)) s"
fi

export PATH="$SHOP_ROOT/node_modules/.bin:$PATH"

# Fixes to dependencies live in patches/ (patch-package, applied by npm's postinstall). A patch
# added or changed since the last install is applied here, so an existing checkout gets it too.
if [ ! -f node_modules/.shop-patches-applied ] || [ -n "$(find patches -name '*.patch' -newer node_modules/.shop-patches-applied)" ]; then
  if ! patched="$(patch-package 2>&1)"; then
    echo "$patched" >&2
    echo "[setup] patch-package could not apply patches/ (see above)" >&2
    exit 1
  fi
  touch node_modules/.shop-patches-applied
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != "24" ]; then
  echo "[setup] expected Node 24 from node_modules/.bin, got $(node --version)" >&2
  exit 1
fi

# Nx: no cloud prompts, and no daemon left running after a command.
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false
# Pact: no usage telemetry from the test runs.
export PACT_DO_NOT_TRACK=true
