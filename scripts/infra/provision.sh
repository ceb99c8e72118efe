#!/usr/bin/env bash
# Fetch/build what the local infra needs into $SHOP_CACHE_DIR (shared by every
# clone and by CI). Idempotent: a warm run only checks marker files.
#
#   scripts/infra/provision.sh [all|kafka|postgres|jaeger|mailpit|keycloak|registry|promtool|helm|compose-validate|kubernetes-validate|keda-crds|schemathesis|chromium|podman|docker-compose|tcpdump ...]
#   scripts/infra/provision.sh --check <components>   exits 0 when they are all provisioned
#
# keycloak is fetched only when named (or by `infra.sh start keycloak`): `all` does not include it.
# registry (the schema registry, Apicurio) is started only when named, but `all` fetches it: the
# integration tests (npm test) run against it.
#
# The last ten are tools, not servers (infra.sh never starts them): promtool checks the
# Prometheus alert rules, helm lints and renders k8s/shop, compose-validate checks
# docker-compose.yml against the Compose Specification, kubernetes-validate checks rendered
# manifests against Kubernetes' JSON schemas (offline), keda-crds are KEDA's own
# CustomResourceDefinitions (the chart's ScaledObjects are checked against their schemas), schemathesis fuzzes the order API
# against its OpenAPI document, chromium (Debian's, by apt-get) is the real browser that
# playwright-core drives in the console's browser tests, podman (Debian's, by apt-get) and
# docker-compose run the composed shop (`npm run compose`), tcpdump (Debian's, by apt-get) captures
# loopback traffic in the end-to-end probe that finds no personal data in clear. npm test uses all ten.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_POM="$INFRA_DIR/kafka/pom.xml"
MAVEN_DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
JAEGER_MODULE="github.com/jaegertracing/jaeger"
# Our Jaeger is built with a shorter component list than upstream's (only what our configurations
# use: see the file): it replaces cmd/jaeger/internal/components.go before the build.
JAEGER_COMPONENTS="$INFRA_DIR/jaeger/components.go"
MAILPIT_MODULE="github.com/axllent/mailpit"
PROMETHEUS_MODULE="github.com/prometheus/prometheus"
: "${PROMTOOL_VERSION:=v0.316.0}" # Go module version of Prometheus 3.x (see ../shared INFRA notes)
PROMTOOL_BIN="$SHOP_BIN_DIR/promtool"
# Every Go tool is linked without its symbol table and DWARF debug data, as release builds are:
# smaller binaries and a shorter link (the Jaeger link: 12 s with them, 5 s without).
GO_STRIP="-s -w"
TOOL_COMPONENTS=(promtool helm compose-validate kubernetes-validate keda-crds schemathesis chromium podman docker-compose tcpdump)
# What is built with Go from the module proxy (CPU-bound): provisioned in a lane of their own.
GO_BUILT=(jaeger mailpit promtool helm compose-validate docker-compose)
: "${HELM_VERSION:=v3.22.0}"
HELM_BIN="$SHOP_BIN_DIR/helm"
: "${COMPOSE_GO_VERSION:=v2.13.0}"
COMPOSE_VALIDATE_BIN="$SHOP_BIN_DIR/compose-validate"
: "${KUBERNETES_VALIDATE_VERSION:=1.37.0}"
KUBERNETES_VALIDATE_VENV="$SHOP_CACHE_DIR/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION"
: "${SCHEMATHESIS_VERSION:=4.32.5}"
SCHEMATHESIS_VENV="$SHOP_CACHE_DIR/schemathesis-$SCHEMATHESIS_VERSION"
# KEDA's CRDs (config/crd/bases of its Go module's source), the schemas apps/deploy-checks
# validates the chart's ScaledObject and TriggerAuthentication against, and the two scalers the
# chart uses (pkg/scalers: kafka, cpu), whose typed settings name the trigger metadata and the
# authentication parameters each accepts.
KEDA_MODULE="github.com/kedacore/keda/v2"
: "${KEDA_VERSION:=v2.21.1}"
KEDA_CRDS_DIR="$SHOP_CACHE_DIR/keda-crds-$KEDA_VERSION"
# Docker Compose, the real client, built from the Go module proxy (`npm run compose` drives podman's
# Docker-compatible API with it).
: "${DOCKER_COMPOSE_VERSION:=v5.6.0}"
DOCKER_COMPOSE_BIN="$SHOP_BIN_DIR/docker-compose"
# podman and what it runs containers with here (Debian's packages, by apt-get): runc, the bridge
# network and its DNS, iptables; debootstrap makes the Debian base of the local images; jq edits
# OCI bundles in scripts/compose/runc-wrapper.sh.
PODMAN_PACKAGES=(podman runc netavark aardvark-dns iptables catatonit debootstrap jq)
# Playwright's own browser download cannot reach its host from the target machines, so the
# browser tests drive Debian's Chromium at this path (playwright-core's executablePath).
: "${CHROMIUM_BIN:=/usr/bin/chromium}"
# The packet capture of apps/shop-e2e's TLS probe (Debian's tcpdump).
: "${TCPDUMP_BIN:=/usr/bin/tcpdump}"

# Jaeger v1.76.0's go.mod says go 1.24.6 (Mailpit: 1.24.3). An older local Go
# would try to download a toolchain; we would rather fail with a clear message.
GO_MIN_VERSION="1.24.6"
PROVISION_LOG_DIR="$SHOP_CACHE_DIR/logs"

# ------------------------------------------------------------ "is it done" ---

pom_hash() { sha256sum "$KAFKA_POM" | cut -d' ' -f1; }

kafka_provisioned() {
  [[ -f "$KAFKA_HOME/.complete" && -d "$KAFKA_LIBS" ]] &&
    [[ "$(<"$KAFKA_HOME/.complete")" == "$(pom_hash)" ]]
}
postgres_provisioned() { pg_bin_dir >/dev/null; }
# What the marker .jaeger.version says: the module version and a hash of our component list, so a
# cache with upstream's full build (marker "v1.76.0") or an older list is rebuilt.
jaeger_build() { printf '%s-trimmed-%s' "$JAEGER_MODULE_VERSION" "$(sha256sum "$JAEGER_COMPONENTS" | cut -c1-12)"; }
jaeger_provisioned() {
  [[ -x "$JAEGER_BIN" && -f "$SHOP_BIN_DIR/.jaeger.version" ]] &&
    [[ "$(<"$SHOP_BIN_DIR/.jaeger.version")" == "$(jaeger_build)" ]]
}
promtool_provisioned() {
  [[ -x "$PROMTOOL_BIN" && -f "$SHOP_BIN_DIR/.promtool.version" ]] &&
    [[ "$(<"$SHOP_BIN_DIR/.promtool.version")" == "$PROMTOOL_VERSION" ]]
}
helm_provisioned() { [[ -x "$HELM_BIN" && "$(cat "$SHOP_BIN_DIR/.helm.version" 2>/dev/null)" == "$HELM_VERSION" ]]; }
compose-validate_provisioned() { [[ -x "$COMPOSE_VALIDATE_BIN" && "$(cat "$SHOP_BIN_DIR/.compose-validate.version" 2>/dev/null)" == "$COMPOSE_GO_VERSION" ]]; }
kubernetes-validate_provisioned() { [[ -x "$KUBERNETES_VALIDATE_VENV/bin/kubernetes-validate" && -f "$KUBERNETES_VALIDATE_VENV/.complete" ]]; }
schemathesis_provisioned() { [[ -x "$SCHEMATHESIS_VENV/bin/st" && -f "$SCHEMATHESIS_VENV/.complete" ]]; }
chromium_provisioned() { [[ -x "$CHROMIUM_BIN" ]]; }
podman_provisioned() { have podman && have runc && have debootstrap && have jq; }
tcpdump_provisioned() { [[ -x "$TCPDUMP_BIN" ]]; }
KEDA_SCALERS=(kafka_scaler.go cpu_memory_scaler.go)
keda-crds_provisioned() { [[ -f "$KEDA_CRDS_DIR/keda.sh_scaledobjects.yaml" && -f "$KEDA_CRDS_DIR/scalers/kafka_scaler.go" && "$(cat "$KEDA_CRDS_DIR/.complete" 2>/dev/null)" == "$KEDA_VERSION" ]]; }
docker-compose_provisioned() { [[ -x "$DOCKER_COMPOSE_BIN" && "$(cat "$SHOP_BIN_DIR/.docker-compose.version" 2>/dev/null)" == "$DOCKER_COMPOSE_VERSION" ]]; }
registry_provisioned() {
  [[ -f "$REGISTRY_HOME/quarkus-run.jar" && "$(cat "$REGISTRY_HOME/.complete" 2>/dev/null)" == "$REGISTRY_VERSION" ]]
}
keycloak_provisioned() {
  [[ -x "$KEYCLOAK_HOME/bin/kc.sh" && -f "$KEYCLOAK_HOME/.complete" ]] &&
    [[ "$(<"$KEYCLOAK_HOME/.complete")" == "$KEYCLOAK_VERSION ${KEYCLOAK_BUILD_OPTIONS[*]}" ]]
}
mailpit_provisioned() {
  [[ -x "$MAILPIT_BIN" && -f "$SHOP_BIN_DIR/.mailpit.version" ]] &&
    [[ "$(<"$SHOP_BIN_DIR/.mailpit.version")" == "$MAILPIT_VERSION" ]]
}

# ------------------------------------------------------------- toolchains ---

apt_install() {
  log "apt-get update (root, installing: $*)"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  log "apt-get install -y $* (can take a few minutes)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2
}

java_major() {
  java -version 2>&1 | awk -F'"' '/version/ { print $2; exit }' |
    awk -F. '{ print ($1 == "1") ? $2 : $1 }'
}

ensure_java_maven() {
  local major=""
  have java && major="$(java_major)"
  if [[ -n "$major" && "$major" -ge 17 ]] && have mvn; then return 0; fi
  if is_root && have apt-get; then
    # default-jdk-headless is 17 on Debian 12, 21 on Debian 13: both fine.
    apt_install default-jdk-headless maven
    major="$(java_major)"
  fi
  if [[ -z "$major" || "$major" -lt 17 ]] || ! have mvn; then
    die "Kafka needs Java 17+ and Maven on PATH (found java major '${major:-none}', mvn: $(command -v mvn || echo none)). Install e.g. 'apt-get install default-jdk-headless maven' (needs root)."
  fi
}

ensure_go() {
  # Official Go tarballs install to /usr/local/go; CI shells may not have it on PATH.
  if ! have go && [[ -x /usr/local/go/bin/go ]]; then PATH="/usr/local/go/bin:$PATH"; fi
  have go || die "Go >= $GO_MIN_VERSION is needed to build Jaeger and Mailpit from the Go module proxy (Debian's golang package is too old; the target machines ship Go 1.26 in /usr/local/go/bin). Install it and put 'go' on PATH."
  local v
  v="$(go env GOVERSION)"
  v="${v#go}"
  v="${v%%[!0-9.]*}"
  if [[ "$(printf '%s\n%s\n' "$GO_MIN_VERSION" "$v" | sort -V | head -n 1)" != "$GO_MIN_VERSION" ]]; then
    die "Go $v is too old: Jaeger $JAEGER_MODULE_VERSION needs Go >= $GO_MIN_VERSION (the target machines ship Go 1.26)."
  fi
}

# run_logged <name> <cmd...>: runs a long command with its output in
# $PROVISION_LOG_DIR/<name>.log, prints a heartbeat every 30 s, and the log
# tail if it fails.
run_logged() {
  local name="$1"
  shift
  local out="$PROVISION_LOG_DIR/$name.log" t0 pid rc=0 n=0
  mkdir -p "$PROVISION_LOG_DIR"
  t0="$(_now)"
  "$@" >"$out" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    n=$((n + 1))
    if ((n % 30 == 0)); then log "  ... $name still running ($(elapsed "$t0")s so far, output: $out)"; fi
  done
  wait "$pid" || rc=$?
  if ((rc != 0)); then
    show_log_tail "$name" "$out"
    die "$name failed (exit $rc) after $(elapsed "$t0")s; full output: $out"
  fi
}

# ------------------------------------------------------------- components ---

provision_kafka() {
  ensure_java_maven
  grep -q "<kafka.version>$KAFKA_VERSION</kafka.version>" "$KAFKA_POM" ||
    die "KAFKA_VERSION=$KAFKA_VERSION does not match <kafka.version> in $KAFKA_POM"
  local t0 tmp n
  t0="$(_now)"
  tmp="$KAFKA_HOME/libs.tmp"
  log "kafka: fetching Kafka $KAFKA_VERSION broker jars from Maven Central into $KAFKA_LIBS (cold: ~5 s plus Maven's own plugins on a fresh ~/.m2, up to a minute)"
  rm -f "$KAFKA_HOME/.complete"
  rm -rf "$tmp"
  mkdir -p "$KAFKA_HOME"
  # -f points at the committed pom; copy-dependencies needs no build, so
  # nothing is written next to the pom.
  run_logged provision-kafka mvn -B -q --no-transfer-progress -Dstyle.color=never \
    -f "$KAFKA_POM" "$MAVEN_DEPENDENCY_PLUGIN:copy-dependencies" \
    -DoutputDirectory="$tmp" -DincludeScope=runtime
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "kafka: $tmp/kafka_2.13-$KAFKA_VERSION.jar missing after Maven run"
  n="$(find "$tmp" -name '*.jar' | wc -l)"
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
  # Marker last: an interrupted run is redone; a pom change triggers a refetch.
  pom_hash >"$KAFKA_HOME/.complete"
  log "kafka: $n jars ($(du -sh "$KAFKA_LIBS" | cut -f1)) ready in $(elapsed "$t0")s"
}

# maven_fetch <name> <groupId:artifactId:version:type[:classifier]> <dir> <file>: one artifact from
# Maven Central into <dir> (created empty), dying unless <dir>/<file> is there afterwards.
maven_fetch() {
  local name="$1" artifact="$2" dir="$3" file="$4"
  mkdir -p "$dir"
  # dependency:copy needs no pom: run it from the empty dir so no project is picked up.
  run_logged "provision-$name" env -C "$dir" mvn -B -q --no-transfer-progress -Dstyle.color=never \
    "$MAVEN_DEPENDENCY_PLUGIN:copy" -Dartifact="$artifact" -DoutputDirectory="$dir"
  [[ -f "$dir/$file" ]] || die "$name: $dir/$file missing after the Maven run (see $PROVISION_LOG_DIR/provision-$name.log)"
}

provision_keycloak() {
  ensure_java_maven
  local t0 tmp zip artifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip"
  t0="$(_now)"
  tmp="$KEYCLOAK_HOME.tmp"
  log "keycloak: fetching $artifact from Maven Central (177 MB) and unpacking it into $KEYCLOAK_HOME"
  rm -rf "$tmp" "$KEYCLOAK_HOME"
  zip="$tmp/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
  maven_fetch keycloak "$artifact" "$tmp" "$(basename "$zip")"
  log "keycloak: downloaded in $(elapsed "$t0")s; unpacking"
  if have unzip; then
    run_logged provision-keycloak-unzip unzip -q "$zip" -d "$tmp/unpacked"
  else
    run_logged provision-keycloak-unzip python3 -m zipfile -e "$zip" "$tmp/unpacked"
    chmod +x "$tmp/unpacked/keycloak-$KEYCLOAK_VERSION"/bin/*.sh
  fi
  [[ -x "$tmp/unpacked/keycloak-$KEYCLOAK_VERSION/bin/kc.sh" ]] || die "keycloak: bin/kc.sh missing in $zip"
  # Quarkus' build step once, here, instead of on every start (`start-dev` redoes it each time in
  # each run dir: 30-90 s of CPU): `infra.sh` runs the result with `kc.sh start --optimized`.
  log "keycloak: kc.sh build ${KEYCLOAK_BUILD_OPTIONS[*]} (about 40 s)"
  run_logged provision-keycloak-build "$tmp/unpacked/keycloak-$KEYCLOAK_VERSION/bin/kc.sh" build "${KEYCLOAK_BUILD_OPTIONS[@]}"
  mv "$tmp/unpacked/keycloak-$KEYCLOAK_VERSION" "$KEYCLOAK_HOME"
  rm -rf "$tmp" # Maven keeps the zip in ~/.m2 too
  # Marker last: an interrupted run is redone; another KEYCLOAK_VERSION or other build options
  # are provisioned again.
  printf '%s\n' "$KEYCLOAK_VERSION ${KEYCLOAK_BUILD_OPTIONS[*]}" >"$KEYCLOAK_HOME/.complete"
  log "keycloak: Keycloak $KEYCLOAK_VERSION ($(du -sh "$KEYCLOAK_HOME" | cut -f1)) ready in $(elapsed "$t0")s"
}

provision_registry() {
  ensure_java_maven # Maven fetches it; the registry itself runs on a Java >= 21 (checked here)
  local java t0 tmp tarball artifact="io.apicurio:apicurio-registry-app:$REGISTRY_VERSION:tar.gz:all"
  java="$(registry_java)" || die "registry: Apicurio Registry $REGISTRY_VERSION needs Java >= 21 (the machines ship a Temurin 25 JDK at /usr/lib/jvm/temurin-25-jdk-amd64); none found in /usr/lib/jvm or on PATH. Install one, or set REGISTRY_JAVA to its bin/java."
  t0="$(_now)"
  tmp="$REGISTRY_HOME.tmp"
  log "registry: fetching $artifact from Maven Central (158 MB) and unpacking it into $REGISTRY_HOME (runs on $java)"
  rm -rf "$tmp" "$REGISTRY_HOME"
  tarball="$tmp/apicurio-registry-app-$REGISTRY_VERSION-all.tar.gz"
  maven_fetch registry "$artifact" "$tmp" "$(basename "$tarball")"
  log "registry: downloaded in $(elapsed "$t0")s; unpacking"
  mkdir -p "$tmp/unpacked"
  run_logged provision-registry-unpack tar -xzf "$tarball" -C "$tmp/unpacked"
  [[ -f "$tmp/unpacked/quarkus-run.jar" ]] || die "registry: quarkus-run.jar missing in $tarball"
  mv "$tmp/unpacked" "$REGISTRY_HOME"
  rm -rf "$tmp" # Maven keeps the tar.gz in ~/.m2 too
  # Marker last: an interrupted run is redone; another REGISTRY_VERSION is provisioned again.
  printf '%s\n' "$REGISTRY_VERSION" >"$REGISTRY_HOME/.complete"
  log "registry: Apicurio Registry $REGISTRY_VERSION ($(du -sh "$REGISTRY_HOME" | cut -f1)) ready in $(elapsed "$t0")s"
}

provision_postgres() {
  local bin
  if bin="$(pg_bin_dir)"; then
    log "postgres: using $bin"
    return 0
  fi
  if ! is_root || ! have apt-get; then
    die "PostgreSQL server binaries not found under /usr/lib/postgresql/<major>/bin. Install the Debian package 'postgresql' (needs root) or set SHOP_PG_BIN to a directory with initdb, pg_ctl, postgres."
  fi
  local t0
  t0="$(_now)"
  apt_install postgresql
  # The Debian package creates and starts a 'main' cluster on 5432: stop it and
  # make it manual so it never holds the port our own cluster uses.
  if have pg_lsclusters; then
    local ver name _rest
    while read -r ver name _rest; do
      [[ -n "$ver" ]] || continue
      log "postgres: stopping Debian's auto-started cluster $ver/$name and setting it to manual"
      pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true
      [[ -f "/etc/postgresql/$ver/$name/start.conf" ]] && echo manual >"/etc/postgresql/$ver/$name/start.conf"
    done < <(pg_lsclusters -h 2>/dev/null)
  fi
  if have systemctl && [[ -d /run/systemd/system ]]; then
    systemctl disable --now postgresql >/dev/null 2>&1 || true
  fi
  bin="$(pg_bin_dir)" || die "postgres: apt-get install postgresql did not provide /usr/lib/postgresql/<major>/bin"
  log "postgres: installed $bin in $(elapsed "$t0")s"
}

provision_jaeger() {
  ensure_go
  local t0 info dir src tmpbin
  t0="$(_now)"
  log "jaeger: building Jaeger v2 ($JAEGER_MODULE@$JAEGER_MODULE_VERSION ./cmd/jaeger, our component list) from the Go module proxy into $JAEGER_BIN; cold this takes ~12 minutes on 2 cores"
  # `go install .../cmd/jaeger@version` is refused (go.mod has a replace
  # directive), so download the module source and build inside a writable copy,
  # where our component list replaces upstream's (see $JAEGER_COMPONENTS).
  log "jaeger: go mod download $JAEGER_MODULE@$JAEGER_MODULE_VERSION"
  info="$(go mod download -json "$JAEGER_MODULE@$JAEGER_MODULE_VERSION")" ||
    die "jaeger: go mod download failed: $info"
  dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$info")"
  [[ -n "$dir" && -f "$dir/go.mod" ]] || die "jaeger: no module Dir in go mod download output: $info"
  src="$SHOP_CACHE_DIR/src/jaeger-$JAEGER_MODULE_VERSION"
  rm -rf "$src"
  mkdir -p "$(dirname "$src")" "$SHOP_BIN_DIR"
  cp -R "$dir" "$src"
  chmod -R u+w "$src" # the module cache is read-only
  # Same package, same Components() function: only the list of factories is shorter. Upstream's
  # test of that file expects its full list, so it goes too (we do not run Jaeger's tests).
  cp "$JAEGER_COMPONENTS" "$src/cmd/jaeger/internal/components.go"
  rm -f "$src/cmd/jaeger/internal/components_test.go"
  tmpbin="$SHOP_BIN_DIR/.jaeger.tmp.$$"
  log "jaeger: go build -trimpath ./cmd/jaeger (downloads ~215 modules on a cold Go cache, then compiles; minutes)"
  run_logged provision-jaeger env -C "$src" go build -trimpath -buildvcs=false -ldflags="$GO_STRIP" -o "$tmpbin" ./cmd/jaeger
  mv -f "$tmpbin" "$JAEGER_BIN"
  printf '%s\n' "$(jaeger_build)" >"$SHOP_BIN_DIR/.jaeger.version"
  rm -rf "$src" # the Go module cache still has the pristine source
  rmdir "$(dirname "$src")" 2>/dev/null || true
  log "jaeger: built $JAEGER_BIN ($(du -h "$JAEGER_BIN" | cut -f1)) in $(elapsed "$t0")s"
}

provision_mailpit() {
  go_install_tool mailpit "$MAILPIT_MODULE@$MAILPIT_VERSION" mailpit "$MAILPIT_BIN" "$MAILPIT_VERSION"
}

# Without Prometheus's service discovery plugins (its own build tag remove_all_sd: file and HTTP
# discovery stay): checking and testing rules needs none, and the build takes half the CPU.
provision_promtool() {
  GOFLAGS="${GOFLAGS:+$GOFLAGS }-tags=remove_all_sd" go_install_tool promtool "$PROMETHEUS_MODULE/cmd/promtool@$PROMTOOL_VERSION" promtool "$PROMTOOL_BIN" "$PROMTOOL_VERSION"
}

# go_install_tool <name> <package@version> <binary name> <target path> <version>
go_install_tool() {
  local name="$1" pkg="$2" built="$3" target="$4" version="$5" t0 tmpdir
  ensure_go
  t0="$(_now)"
  log "$name: go install $pkg into $target"
  tmpdir="$SHOP_BIN_DIR/.$name.tmp.$$"
  rm -rf "$tmpdir"
  mkdir -p "$tmpdir"
  run_logged "provision-$name" env GOBIN="$tmpdir" go install -buildvcs=false -ldflags="$GO_STRIP" "$pkg"
  mv -f "$tmpdir/$built" "$target"
  rm -rf "$tmpdir"
  printf '%s\n' "$version" >"$SHOP_BIN_DIR/.$name.version"
  log "$name: installed $target in $(elapsed "$t0")s"
}

provision_helm() {
  go_install_tool helm "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" helm "$HELM_BIN" "$HELM_VERSION"
}

# compose-go's validator installs as a binary named `cmd`.
provision_compose-validate() {
  go_install_tool compose-validate "github.com/compose-spec/compose-go/v2/cmd@$COMPOSE_GO_VERSION" cmd "$COMPOSE_VALIDATE_BIN" "$COMPOSE_GO_VERSION"
}

# A Python tool from PyPI, pinned, in its own venv in the cache: <name> <version> <venv> <why>.
provision_python_tool() {
  local name="$1" version="$2" venv="$3" why="$4" t0
  have python3 || die "$name needs python3 (with the venv module)"
  if ! python3 -m venv --help >/dev/null 2>&1 && is_root && have apt-get; then apt_install python3-venv; fi
  t0="$(_now)"
  log "$name: pip install $name==$version into $venv ($why)"
  rm -rf "$venv"
  run_logged "provision-$name" python3 -m venv "$venv"
  run_logged "provision-$name" "$venv/bin/pip" install --quiet "$name==$version"
  touch "$venv/.complete"
  log "$name: installed in $(elapsed "$t0")s"
}

provision_kubernetes-validate() {
  provision_python_tool kubernetes-validate "$KUBERNETES_VALIDATE_VERSION" "$KUBERNETES_VALIDATE_VENV" 'bundles the Kubernetes JSON schemas: offline afterwards'
}

# Only the CRDs are needed, not a build. KEDA v2.21.1's go.mod says go 1.27.4, and an older local Go
# (1.26 here, GOTOOLCHAIN=local) downloads and verifies the module's zip against the checksum
# database but then refuses to extract it ("requires go >= 1.27.4"): so take the CRDs from that
# verified zip (its .ziphash is written only once the sum matched) rather than from Dir.
provision_keda-crds() {
  ensure_go
  local t0 info zip sum
  t0="$(_now)"
  log "keda-crds: go mod download $KEDA_MODULE@$KEDA_VERSION (its config/crd/bases into $KEDA_CRDS_DIR)"
  info="$(go mod download -json "$KEDA_MODULE@$KEDA_VERSION" 2>&1)" || true
  zip="$(sed -n 's/^[[:space:]]*"Zip": "\(.*\)",\{0,1\}$/\1/p' <<<"$info")"
  sum="$(sed -n 's/^[[:space:]]*"Sum": "\(.*\)",\{0,1\}$/\1/p' <<<"$info")"
  [[ -n "$zip" && -f "$zip" && -n "$sum" && "$(cat "${zip%.zip}.ziphash" 2>/dev/null)" == "$sum" ]] ||
    die "keda-crds: go mod download gave no verified module zip: $info"
  have unzip || die "keda-crds: unzip is needed to read the CRDs out of $zip (apt-get install unzip)"
  rm -rf "$KEDA_CRDS_DIR"
  mkdir -p "$KEDA_CRDS_DIR"
  unzip -q -j -o "$zip" "$KEDA_MODULE@$KEDA_VERSION/config/crd/bases/*.yaml" -d "$KEDA_CRDS_DIR" ||
    die "keda-crds: no config/crd/bases/*.yaml in $zip"
  local f
  for f in "${KEDA_SCALERS[@]}"; do
    unzip -q -j -o "$zip" "$KEDA_MODULE@$KEDA_VERSION/pkg/scalers/$f" -d "$KEDA_CRDS_DIR/scalers" ||
      die "keda-crds: no pkg/scalers/$f in $zip"
  done
  printf '%s\n' "$KEDA_VERSION" >"$KEDA_CRDS_DIR/.complete"
  log "keda-crds: $(find "$KEDA_CRDS_DIR" -name '*.yaml' | wc -l) CRDs and ${#KEDA_SCALERS[@]} scalers of KEDA $KEDA_VERSION in $(elapsed "$t0")s"
}

provision_schemathesis() {
  provision_python_tool schemathesis "$SCHEMATHESIS_VERSION" "$SCHEMATHESIS_VENV" "the order API's fuzzer, run by apps/shop-e2e"
}

provision_chromium() {
  if ! is_root || ! have apt-get; then
    die "chromium: no browser at $CHROMIUM_BIN for the console's browser tests. Install the Debian package 'chromium' (apt-get install chromium, needs root) or set CHROMIUM_BIN to a Chromium executable."
  fi
  local t0
  t0="$(_now)"
  apt_install chromium
  chromium_provisioned || die "chromium: apt-get install chromium did not provide $CHROMIUM_BIN; set CHROMIUM_BIN to where it is"
  log "chromium: $("$CHROMIUM_BIN" --version 2>/dev/null || echo "$CHROMIUM_BIN") installed in $(elapsed "$t0")s"
}

provision_podman() {
  if ! is_root || ! have apt-get; then
    die "podman: not installed. Install Debian's packages: sudo apt-get install -y ${PODMAN_PACKAGES[*]} (or, with Docker Engine, run \`docker compose up\` itself)"
  fi
  local t0
  t0="$(_now)"
  apt_install "${PODMAN_PACKAGES[@]}"
  podman_provisioned || die "podman: apt-get install ${PODMAN_PACKAGES[*]} did not provide podman, runc, debootstrap and jq"
  log "podman: $(podman --version) installed in $(elapsed "$t0")s"
}

provision_tcpdump() {
  if ! is_root || ! have apt-get; then
    die "tcpdump: not at $TCPDUMP_BIN for the end-to-end TLS probe. Install the Debian package 'tcpdump' (apt-get install tcpdump, needs root; capturing needs root or CAP_NET_RAW) or set TCPDUMP_BIN."
  fi
  local t0
  t0="$(_now)"
  apt_install tcpdump
  tcpdump_provisioned || die "tcpdump: apt-get install tcpdump did not provide $TCPDUMP_BIN; set TCPDUMP_BIN to where it is"
  log "tcpdump: $("$TCPDUMP_BIN" --version 2>&1 | head -n 1) installed in $(elapsed "$t0")s"
}

# `go install github.com/docker/compose/v5/cmd@...` is refused (its go.mod has exclude directives):
# build it from a module of our own that requires it.
provision_docker-compose() {
  ensure_go
  local t0 dir="$SHOP_CACHE_DIR/docker-compose-$DOCKER_COMPOSE_VERSION"
  t0="$(_now)"
  log "docker-compose: building Docker Compose $DOCKER_COMPOSE_VERSION from the Go module proxy into $DOCKER_COMPOSE_BIN (cold: a few minutes)"
  mkdir -p "$dir"
  [[ -f "$dir/go.mod" ]] || (cd "$dir" && go mod init shop-platform/docker-compose >/dev/null 2>&1)
  (cd "$dir" && run_logged provision-docker-compose go get "github.com/docker/compose/v5/cmd@$DOCKER_COMPOSE_VERSION")
  (cd "$dir" && run_logged provision-docker-compose go build -trimpath -ldflags "$GO_STRIP -X github.com/docker/compose/v5/internal.Version=$DOCKER_COMPOSE_VERSION" -o "$DOCKER_COMPOSE_BIN.tmp.$$" github.com/docker/compose/v5/cmd)
  mv -f "$DOCKER_COMPOSE_BIN.tmp.$$" "$DOCKER_COMPOSE_BIN"
  printf '%s\n' "$DOCKER_COMPOSE_VERSION" >"$SHOP_BIN_DIR/.docker-compose.version"
  log "docker-compose: Docker Compose $("$DOCKER_COMPOSE_BIN" version --short) built in $(elapsed "$t0")s"
}

# ------------------------------------------------------------------- main ---

main() {
  local comps=() c missing=()
  # --check <components>: exit 0 when all of them are provisioned, 1 otherwise; changes nothing.
  if [[ "${1:-}" == --check ]]; then
    shift
    for c in "$@"; do "${c}_provisioned" || return 1; done
    return 0
  fi
  for c in "$@"; do
    if [[ "$c" == all ]]; then comps+=("${ALL_COMPONENTS[@]}" registry "${TOOL_COMPONENTS[@]}"); else comps+=("$c"); fi
  done
  ((${#comps[@]})) || comps=("${ALL_COMPONENTS[@]}" registry "${TOOL_COMPONENTS[@]}")
  local servers=()
  for c in "${comps[@]}"; do [[ " ${TOOL_COMPONENTS[*]} " == *" $c "* ]] || servers+=("$c"); done
  ((${#servers[@]} == 0)) || validate_components "${servers[@]}"

  for c in "${comps[@]}"; do "${c}_provisioned" || missing+=("$c"); done
  if ((${#missing[@]} == 0)); then
    log "provision: ${comps[*]} already provisioned (cache: $SHOP_CACHE_DIR)"
    return 0
  fi

  local t0
  t0="$(_now)"
  log "provision: needed: ${missing[*]} (cache: $SHOP_CACHE_DIR)"
  # Two lanes side by side: the Go builds, one after the other (each keeps every core busy for
  # minutes on a fresh machine), and everything else (Maven, pip, apt, plain downloads: mostly
  # waiting on the network, which the builds do not). Each lane is a subshell; both are awaited.
  local builds=() fetches=() fetching="" rc=0
  for c in "${missing[@]}"; do
    if [[ " ${GO_BUILT[*]} " == *" $c "* ]]; then builds+=("$c"); else fetches+=("$c"); fi
  done
  if ((${#fetches[@]})); then
    (provision_each "${fetches[@]}") &
    fetching=$!
  fi
  (provision_each "${builds[@]}") || rc=$?
  if [[ -n "$fetching" ]]; then wait "$fetching" || rc=$?; fi
  ((rc == 0)) || die "provision: failed after $(elapsed "$t0")s (the component's error is above)"
  log "provision: done in $(elapsed "$t0")s"
}

# provision_each <component...>: provisions each in turn, under its lock.
provision_each() {
  local c lock
  mkdir -p "$SHOP_CACHE_DIR"
  for c in "$@"; do
    # One provisioner per component at a time (two clones, CI next to a dev shell, or `npm run shop`
    # building Jaeger in the background while it fetches the rest): a lock per component, so a
    # five-minute Jaeger build does not hold up Kafka. Maven's local repository is not safe for two
    # concurrent runs on a fresh ~/.m2, so the components fetched with Maven share one lock.
    lock="$SHOP_CACHE_DIR/.provision-$(lock_name "$c").lock"
    exec 9>"$lock"
    if ! flock -n 9; then
      log "$c: another provision run holds $lock; waiting for it"
      flock 9
    fi
    if "${c}_provisioned"; then
      log "$c: provisioned meanwhile by another run"
    else
      "provision_$c"
    fi
    exec 9>&-
  done
}

# lock_name <component>: what its provisioning must not run beside.
lock_name() {
  case "$1" in
    kafka | keycloak | registry) echo maven ;;
    postgres | chromium | podman | tcpdump) echo apt ;;
    *) echo "$1" ;;
  esac
}

main "$@"
