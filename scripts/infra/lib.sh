# shellcheck shell=bash
# What scripts/infra/provision.sh fetches and builds, and where: pinned versions, the cache layout
# and a few helpers. Source it, do not execute it. provision.sh sources it; libs/infra (the
# components' launchers, behind infra.sh) and scripts/compose/local-images.mts read the versions
# and paths from here, so they are said once. Ports, the run dir and everything about running
# the servers live in libs/infra.

[[ -n "${_SHOP_INFRA_LIB_LOADED:-}" ]] && return 0
_SHOP_INFRA_LIB_LOADED=1

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"

# Downloads and builds: user-level so every clone and CI reuse them.
: "${SHOP_CACHE_DIR:=${XDG_CACHE_HOME:-$HOME/.cache}/shop-platform}"
# Absolute paths: servers are started from their own directories.
[[ "$SHOP_CACHE_DIR" == /* ]] || SHOP_CACHE_DIR="$PWD/$SHOP_CACHE_DIR"

# Pinned versions (the Kafka version must match scripts/infra/kafka/pom.xml).
: "${KAFKA_VERSION:=4.1.1}"
: "${JAEGER_MODULE_VERSION:=v1.76.0}" # same commit as Jaeger v2.13; cmd/jaeger is v2
: "${MAILPIT_VERSION:=v1.27.11}"
: "${KEYCLOAK_VERSION:=26.7.3}" # org.keycloak:keycloak-quarkus-dist on Maven Central (26.7.4 is not served)
# The schema registry: io.apicurio:apicurio-registry-app on Maven Central (needs Java >= 21).
: "${REGISTRY_VERSION:=3.3.3}"

export SHOP_CACHE_DIR KAFKA_VERSION JAEGER_MODULE_VERSION MAILPIT_VERSION KEYCLOAK_VERSION REGISTRY_VERSION

# Cache layout (used by the scripts that source this file).
# shellcheck disable=SC2034
KAFKA_HOME="$SHOP_CACHE_DIR/kafka-$KAFKA_VERSION"
# shellcheck disable=SC2034
KAFKA_LIBS="$KAFKA_HOME/libs"
SHOP_BIN_DIR="$SHOP_CACHE_DIR/bin"
# shellcheck disable=SC2034
JAEGER_BIN="$SHOP_BIN_DIR/jaeger"
# shellcheck disable=SC2034
MAILPIT_BIN="$SHOP_BIN_DIR/mailpit"
# The unpacked distribution, never run in place (libs/infra gives each run dir its own home).
# shellcheck disable=SC2034
# "-built": the distribution after `kc.sh build` (below), beside any unbuilt copy an older
# checkout provisioned and may still be running.
KEYCLOAK_HOME="$SHOP_CACHE_DIR/keycloak-$KEYCLOAK_VERSION-built"
# Keycloak's build options, fixed at provisioning (`kc.sh build`): the H2 file database of a local
# instance, and health and metrics off (they would open the management port 9000 on every
# interface; readiness is the realm's discovery document instead).
KEYCLOAK_BUILD_OPTIONS=(--db=dev-file --health-enabled=false --metrics-enabled=false)
# Apicurio Registry's Quarkus fast-jar (quarkus-run.jar, lib/, app/), unpacked from Maven Central's
# tar.gz; run in place (it writes nothing into its directory: its data is in the run dir).
# shellcheck disable=SC2034
REGISTRY_HOME="$SHOP_CACHE_DIR/apicurio-registry-$REGISTRY_VERSION"

# The servers provision.sh knows (libs/infra/src/lib/components.ts is their table): the first four
# are what `provision.sh all` means with the registry; keycloak only when named.
ALL_COMPONENTS=(kafka postgres jaeger mailpit)
OPTIONAL_COMPONENTS=(keycloak registry)

# ---------------------------------------------------------------- logging ---

# Bash 5 gives sub-second wall time without forking `date`.
_now() { printf '%s' "${EPOCHREALTIME/[.,]/.}"; }
_INFRA_T0="$(_now)"

# elapsed <start>: seconds since <start> with one decimal.
elapsed() {
  awk -v a="$1" -v b="$(_now)" 'BEGIN { printf "%.1f", b - a }'
}

# Logs go to stderr so that stdout stays clean for status/summary output.
log() { printf '[infra] %6ss  %s\n' "$(elapsed "$_INFRA_T0")" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }

is_root() { [[ "${EUID:-$(id -u)}" -eq 0 ]]; }

# validate_components <names...>: exits on unknown names; prints them one a line.
validate_components() {
  local c ok known
  for c in "$@"; do
    ok=0
    for known in "${ALL_COMPONENTS[@]}" "${OPTIONAL_COMPONENTS[@]}"; do [[ "$c" == "$known" ]] && ok=1; done
    ((ok)) || die "unknown component '$c' (known: ${ALL_COMPONENTS[*]} ${OPTIONAL_COMPONENTS[*]})"
  done
}

# show_log_tail <name> <file...>: what went wrong, printed on failures.
show_log_tail() {
  local f
  shift
  for f in "$@"; do
    [[ -r "$f" ]] || continue
    printf '[infra] ---- last 40 lines of %s ----\n' "$f" >&2
    tail -n 40 "$f" >&2 || true
    printf '[infra] ---- end of %s ----\n' "$f" >&2
  done
}

# ------------------------------------------------------------- registry ----

# registry_java: a java of major version >= 21 (Apicurio Registry 3.x needs it; the machines ship
# Java 17 as `java` and a Temurin 25 JDK beside it). REGISTRY_JAVA overrides; else the Temurin 25
# JDK, else any /usr/lib/jvm JDK, else `java` on PATH, whichever is new enough first.
registry_java() {
  local candidate major
  for candidate in ${REGISTRY_JAVA:-} /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java "$(command -v java 2>/dev/null)"; do
    [[ -x "$candidate" ]] || continue
    major="$("$candidate" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print (v[1] == "1") ? v[2] : v[1]; exit }')"
    if [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 21)); then
      printf '%s' "$candidate"
      return 0
    fi
  done
  return 1
}

# ------------------------------------------------------------- postgres ----

# pg_bin_dir: newest /usr/lib/postgresql/<major>/bin (override: SHOP_PG_BIN).
pg_bin_dir() {
  if [[ -n "${SHOP_PG_BIN:-}" ]]; then
    printf '%s' "$SHOP_PG_BIN"
    return 0
  fi
  local d
  d="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' 2>/dev/null |
    sort -V | tail -n 1)"
  [[ -n "$d" ]] || return 1
  dirname "$d"
}
