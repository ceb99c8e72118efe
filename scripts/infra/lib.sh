# shellcheck shell=bash
# Shared helpers for scripts/infra/*.sh. Source it, do not execute it.
# Everything here is overridable through the environment so that a second,
# independent set of infra can run next to the first one (own SHOP_RUN_DIR and
# ports), e.g. for a test that stops Postgres or Kafka.

[[ -n "${_SHOP_INFRA_LIB_LOADED:-}" ]] && return 0
_SHOP_INFRA_LIB_LOADED=1

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# The repo root comes from git when possible (works in worktrees and fresh
# clones); otherwise fall back to the script location (scripts/infra/..).
if [[ -z "${SHOP_REPO_ROOT:-}" ]]; then
  SHOP_REPO_ROOT="$(git -C "$INFRA_DIR" rev-parse --show-toplevel 2>/dev/null || true)"
  [[ -n "$SHOP_REPO_ROOT" ]] || SHOP_REPO_ROOT="$(cd "$INFRA_DIR/../.." && pwd -P)"
fi

# Downloads and builds: user-level so every clone and CI reuse them.
: "${SHOP_CACHE_DIR:=${XDG_CACHE_HOME:-$HOME/.cache}/shop-platform}"
# Runtime data (Kafka logs, PG data, pid files, logs): per checkout, gitignored.
: "${SHOP_RUN_DIR:=$SHOP_REPO_ROOT/.run/infra}"

# Absolute paths: servers are started from their own directories.
[[ "$SHOP_CACHE_DIR" == /* ]] || SHOP_CACHE_DIR="$PWD/$SHOP_CACHE_DIR"
[[ "$SHOP_RUN_DIR" == /* ]] || SHOP_RUN_DIR="$PWD/$SHOP_RUN_DIR"

# Pinned versions (the Kafka version must match scripts/infra/kafka/pom.xml).
: "${KAFKA_VERSION:=4.1.1}"
: "${JAEGER_MODULE_VERSION:=v1.76.0}" # same commit as Jaeger v2.13; cmd/jaeger is v2
: "${MAILPIT_VERSION:=v1.27.11}"
: "${KEYCLOAK_VERSION:=26.7.3}" # org.keycloak:keycloak-quarkus-dist on Maven Central (26.7.4 is not served)
# The schema registry: io.apicurio:apicurio-registry-app on Maven Central (needs Java >= 21).
: "${REGISTRY_VERSION:=3.3.3}"

# Ports (all bound to 127.0.0.1).
: "${KAFKA_PORT:=9092}"
: "${KAFKA_CONTROLLER_PORT:=9093}"
: "${PGPORT:=5432}"
: "${JAEGER_OTLP_GRPC_PORT:=4317}"
: "${JAEGER_OTLP_HTTP_PORT:=4318}"
: "${JAEGER_QUERY_PORT:=16686}"
: "${JAEGER_QUERY_GRPC_PORT:=16685}"
# Jaeger's own Prometheus metrics listener is off unless a port is given, so
# two Jaegers never clash on the collector default 8888.
: "${JAEGER_METRICS_PORT:=}"
: "${SMTP_PORT:=1025}"
: "${MAILPIT_HTTP_PORT:=8025}"
: "${KEYCLOAK_PORT:=8180}"
# The schema registry's API (Confluent-compatible at /apis/ccompat/v7) and its Quarkus management
# interface (health); 8081 is where Confluent-compatible clients look by convention.
: "${REGISTRY_PORT:=8081}"
: "${REGISTRY_MANAGEMENT_PORT:=8082}"
# Keycloak's bootstrap admin (master realm, admin console). Local only: it is created on the
# first start in a run dir, and Keycloak listens on 127.0.0.1 only.
: "${KEYCLOAK_ADMIN_USER:=admin}"
: "${KEYCLOAK_ADMIN_PASSWORD:=admin}"
# Kafka's SASL/SCRAM-SHA-512 users: `admin` (super user: topic setup, ACLs, tests and tools) and
# one per service and `console` (the ops console), each with only its ACLs (scripts/infra/kafka-acls.mts). The passwords are
# local-only defaults, `<user>-local`, like the Keycloak realm's `alice-local`; override one with
# KAFKA_<USER>_PASSWORD (e.g. KAFKA_INVENTORY_PASSWORD). Changing one re-formats the local Kafka.
KAFKA_SCRAM_USERS=(admin order inventory payment shipping notification console)
for _user in "${KAFKA_SCRAM_USERS[@]}"; do
  _var="KAFKA_${_user^^}_PASSWORD"
  [[ -n "${!_var:-}" ]] || printf -v "$_var" '%s' "$_user-local"
  export "${_var?}"
done
unset _user _var

# Tunables.
: "${KAFKA_HEAP_OPTS:=-Xms256m -Xmx768m}"
: "${JAEGER_MAX_TRACES:=100000}"
: "${SHOP_STOP_TIMEOUT:=15}"
: "${SHOP_DATABASES:=shop_order shop_inventory shop_payment shop_shipping shop_notification}"
: "${SHOP_EXTRA_DATABASES:=}"

export SHOP_REPO_ROOT SHOP_CACHE_DIR SHOP_RUN_DIR KAFKA_VERSION JAEGER_MODULE_VERSION \
  MAILPIT_VERSION KAFKA_PORT KAFKA_CONTROLLER_PORT PGPORT JAEGER_OTLP_GRPC_PORT \
  JAEGER_OTLP_HTTP_PORT JAEGER_QUERY_PORT JAEGER_QUERY_GRPC_PORT JAEGER_METRICS_PORT \
  SMTP_PORT MAILPIT_HTTP_PORT KAFKA_HEAP_OPTS JAEGER_MAX_TRACES SHOP_STOP_TIMEOUT \
  KEYCLOAK_VERSION KEYCLOAK_PORT REGISTRY_VERSION REGISTRY_PORT REGISTRY_MANAGEMENT_PORT

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
# The unpacked distribution, never run in place (infra.sh gives each run dir its own home).
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

# What start/stop/status do when no component is named.
ALL_COMPONENTS=(kafka postgres jaeger mailpit)
# Started only when named (not part of `start` without arguments, `npm run shop` or `npm test`).
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
warn() { log "WARNING: $*"; }
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

# ------------------------------------------------------------- run layout ---

log_file() { printf '%s/logs/%s.log' "$SHOP_RUN_DIR" "$1"; }
pid_file() { printf '%s/pids/%s.pid' "$SHOP_RUN_DIR" "$1"; }

ensure_run_dirs() {
  mkdir -p "$SHOP_RUN_DIR/logs" "$SHOP_RUN_DIR/pids"
}

# rotate_log <component>: keep one previous log so readiness checks that grep
# the log only ever see output of the current start.
rotate_log() {
  local f
  f="$(log_file "$1")"
  if [[ -e "$f" && ! -L "$f" ]]; then mv -f "$f" "$f.prev"; fi
  : >"$f"
}

# show_log_tail <component> [file...]: what went wrong, printed on failures.
show_log_tail() {
  local comp="$1" f
  shift
  local files=("$@")
  ((${#files[@]})) || files=("$(log_file "$comp")")
  for f in "${files[@]}"; do
    [[ -r "$f" ]] || continue
    printf '[infra] ---- last 40 lines of %s ----\n' "$f" >&2
    tail -n 40 "$f" >&2 || true
    printf '[infra] ---- end of %s ----\n' "$f" >&2
  done
}

# ---------------------------------------------------------------- process ---

# pid_alive <pid>: exists and is not a zombie. Zombies matter here: orphaned
# servers are reaped late by this machine's pid 1 (about 2 s), and kill -0
# succeeds on a zombie.
pid_alive() {
  [[ -n "${1:-}" ]] || return 1
  local stat
  if [[ -r "/proc/$1/stat" ]]; then
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    stat="${stat##*) }" # fields after "(comm) "
    [[ "${stat:0:1}" != Z ]]
  else
    kill -0 "$1" 2>/dev/null
  fi
}

# group_alive <pgid>: any non-zombie process left in that process group.
group_alive() {
  local f stat fields
  for f in /proc/[0-9]*/stat; do
    { read -r stat <"$f"; } 2>/dev/null || continue # the process may have ended
    read -r -a fields <<<"${stat##*) }" # state ppid pgrp ...
    [[ "${fields[2]}" == "$1" && "${fields[0]}" != Z ]] && return 0
  done
  return 1
}

read_pid() {
  local f
  f="$(pid_file "$1")"
  [[ -r "$f" ]] || return 1
  local pid
  read -r pid <"$f" || true
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  printf '%s' "$pid"
}

# proc_cmdline_has <pid> <text>: guards against a recycled pid: the process is
# only "ours" if its command line names our run dir's config/data.
proc_cmdline_has() {
  [[ -r "/proc/$1/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$2"
}

# our_pid <component> <comm> <marker>: prints the pid of this run dir's server
# for <component>: from the pid file if it points to a live process of ours,
# else by scanning /proc (pid file lost); then the pid file is rewritten.
our_pid() {
  local pid
  if pid="$(read_pid "$1")" && pid_alive "$pid" && proc_cmdline_has "$pid" "$3"; then
    printf '%s' "$pid"
    return 0
  fi
  pid="$(find_marker_pid "$2" "$3")" || return 1
  if [[ -d "$SHOP_RUN_DIR/pids" ]]; then printf '%s\n' "$pid" >"$(pid_file "$1")"; fi
  printf '%s' "$pid"
}

# find_marker_pid <comm> <marker>: a live process named <comm> whose command
# line contains <marker> (adopts a server whose pid file was lost).
find_marker_pid() {
  local d pid comm
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    { read -r comm <"$d/comm"; } 2>/dev/null || continue # the process may have ended
    [[ "$comm" == "$1" ]] || continue
    proc_cmdline_has "$pid" "$2" && {
      printf '%s' "$pid"
      return 0
    }
  done
  return 1
}

# start_bg <component> <cwd> <cmd...>: runs the command detached in its own
# session (so its own process group, no controlling terminal), surviving the
# calling shell; stdout/stderr are appended to the component log.
# Sets STARTED_PID and writes the pid file.
start_bg() {
  local comp="$1" cwd="$2"
  shift 2
  local log
  log="$(log_file "$comp")"
  # Non-interactive bash has no job control, so the background subshell is not
  # a group leader and setsid execs in place: $! is the real server pid.
  (cd "$cwd" && exec setsid nohup "$@") >>"$log" 2>&1 </dev/null &
  STARTED_PID=$!
  printf '%s\n' "$STARTED_PID" >"$(pid_file "$comp")"
}

# stop_group <component> <pid>: SIGTERM to the whole process group, wait up to
# SHOP_STOP_TIMEOUT seconds, then SIGKILL.
stop_group() {
  local comp="$1" pid="$2" i limit
  limit=$((SHOP_STOP_TIMEOUT * 10))
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < limit; i++)); do
    if ! pid_alive "$pid" && ! group_alive "$pid"; then
      return 0
    fi
    sleep 0.1
  done
  warn "$comp (pid $pid) did not stop within ${SHOP_STOP_TIMEOUT}s, sending SIGKILL"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    pid_alive "$pid" || return 0
    sleep 0.1
  done
  die "$comp (pid $pid) survived SIGKILL"
}

# ------------------------------------------------------------------ ports ---

# port_in_use <port>: any TCP listener on that port (any address).
port_in_use() {
  if have ss; then
    [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# port_owner <port>: human readable "who listens there" for error messages.
port_owner() {
  local out=""
  have ss && out="$(ss -Hltnp "sport = :$1" 2>/dev/null | awk '{ $1=$1; print }' | head -n 3)"
  printf '%s' "${out:-unknown process}"
}

# require_ports_free <component> <port...>: fail clearly when something that
# is not ours holds one of the ports.
require_ports_free() {
  local comp="$1" p
  shift
  for p in "$@"; do
    if port_in_use "$p"; then
      die "$comp: port $p is already in use by something that is not this infra set ($SHOP_RUN_DIR): $(port_owner "$p"). Stop it or choose other ports (see scripts/infra/README.md)."
    fi
  done
}

# wait_ports_free <component> <port...>: after a stop, confirm the ports are released.
wait_ports_free() {
  local comp="$1" p i busy
  shift
  for ((i = 0; i < 100; i++)); do
    busy=""
    for p in "$@"; do port_in_use "$p" && busy+=" $p"; done
    [[ -z "$busy" ]] && return 0
    sleep 0.1
  done
  for p in $busy; do warn "$comp: port $p still in use after stop: $(port_owner "$p")"; done
  return 1
}

# tcp_open <port>: something accepts TCP connections on 127.0.0.1:<port>.
tcp_open() {
  # shellcheck disable=SC2016 # $1 is expanded by the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# http_ok <url>: 2xx answer. --noproxy so a registry proxy in the environment
# never sees loopback traffic.
http_ok() {
  curl -fsS --noproxy '*' -o /dev/null --connect-timeout 1 --max-time 3 "$1" 2>/dev/null
}

# ---------------------------------------------------------------- waiting ---

# wait_for <component> <pid|""> <timeout-s> <description> <cmd...>
# Polls <cmd> every 0.25 s. Fails early if <pid> dies, and on failure prints
# the tail of the component's log(s) (WAIT_LOGS array, else the default log).
wait_for() {
  local comp="$1" pid="$2" timeout="$3" desc="$4"
  shift 4
  local start
  start="$(_now)"
  while true; do
    if "$@"; then
      return 0
    fi
    if [[ -n "$pid" ]] && ! pid_alive "$pid"; then
      show_log_tail "$comp" "${WAIT_LOGS[@]}"
      die "$comp: process $pid exited while waiting for: $desc (full log: $(log_file "$comp"))"
    fi
    if awk -v a="$start" -v b="$(_now)" -v t="$timeout" 'BEGIN { exit !(b - a > t) }'; then
      show_log_tail "$comp" "${WAIT_LOGS[@]}"
      die "$comp: not ready after ${timeout}s: $desc (full log: $(log_file "$comp"))"
    fi
    sleep 0.25
  done
}
WAIT_LOGS=()

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
