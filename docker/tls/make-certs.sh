#!/usr/bin/env bash
# A private certificate authority, and a certificate signed by it for each server, so that every
# connection between the shop's containers is TLS and each client verifies whom it talks to.
# docker compose runs it once per `certs` volume (the `certs` job, in the postgres image: it has
# bash and openssl); libs/infra runs it for the local infrastructure, into the user's cache
# (<cache>/tls, keys owned by the user who runs the servers). What exists and is valid is kept, so
# running it again changes nothing; a certificate that is missing, expires within
# MAKE_CERTS_RENEW_DAYS (default 30) or was not signed by the current CA is made again (a CA that
# expires within that time is too, and then every server's). Runs are serialised by a lock in DIR
# (several test suites may start their servers at once).
#
#   make-certs.sh DIR NAME/UID:GID/SAN[,SAN...] ...
#
# Writes into DIR:
#   ca.pem                what clients trust (NODE_EXTRA_CA_CERTS, sslrootcert, Kafka's truststore)
#   ca.key                the CA's key (0600; nothing reads it after this script)
#   NAME.pem              the server's certificate, then the CA's
#   NAME.key              its key (PKCS#8), owned by UID:GID with mode 0600: servers refuse keys
#                         that others can read, and each runs as its own user
#   NAME-keystore.pem     key and certificates in one file (Kafka's PEM keystore)
# SANs in openssl's syntax (DNS:kafka,IP:127.0.0.1): the names clients connect to. Keys are EC P-256.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: make-certs.sh DIR NAME/UID:GID/SAN[,SAN...] ..." >&2
  exit 2
fi
dir=$1
shift
umask 077
mkdir -p "$dir"
chmod 755 "$dir" # every server reads its own files in it
cd "$dir"
renew_seconds=$((${MAKE_CERTS_RENEW_DAYS:-30} * 86400))

exec 9>.make-certs.lock
flock 9

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
# valid FILE: it exists and stays valid for the renewal period.
valid() { [[ -s "$1" ]] && openssl x509 -noout -checkend "$renew_seconds" -in "$1" >/dev/null; }

if ! valid ca.pem || [[ ! -s ca.key ]]; then
  new_key ca.key
  openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/CN=Shop local CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem
  echo "make-certs: a new CA in $dir/ca.pem"
fi
chmod 644 ca.pem

for spec in "$@"; do
  IFS=/ read -r name owner sans <<<"$spec"
  if [[ -z "$name" || ! "$owner" =~ ^[0-9]+:[0-9]+$ || -z "$sans" ]]; then
    echo "make-certs: '$spec' is not NAME/UID:GID/SAN[,SAN...]" >&2
    exit 2
  fi
  if ! valid "$name.pem" || [[ ! -s "$name.key" ]] || ! openssl verify -CAfile ca.pem "$name.pem" >/dev/null 2>&1; then
    new_key "$name.key"
    openssl req -new -key "$name.key" -subj "/CN=$name" -out "$name.csr"
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=serverAuth" "subjectAltName=$sans" "subjectKeyIdentifier=hash" \
      "authorityKeyIdentifier=keyid" >"$name.ext"
    openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" \
      -sha256 -days 825 -extfile "$name.ext" -out "$name.crt"
    cat "$name.crt" ca.pem >"$name.pem"
    cat "$name.key" "$name.pem" >"$name-keystore.pem"
    rm -f "$name.csr" "$name.ext" "$name.crt"
    echo "make-certs: $name ($sans)"
  fi
  chmod 644 "$name.pem"
  chown "$owner" "$name.key" "$name-keystore.pem"
  chmod 600 "$name.key" "$name-keystore.pem"
done
