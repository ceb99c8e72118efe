#!/usr/bin/env bash
# podman's OCI runtime for `npm run compose`: Debian's runc, minus what a sandbox without
# CAP_SYS_RESOURCE cannot set. runc applies a container's rlimits (RLIMIT_NOFILE, RLIMIT_NPROC) and
# its OOM score adjustment; both fail there with "permission denied", even with `--ulimit host`.
# Without them in the OCI bundle (config.json for create/run, the process file for exec), the
# container inherits the limits of the process that starts it. Everything else goes to runc as is.
set -euo pipefail
bundle="" process=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --bundle | -b) bundle="${args[i + 1]:-}" ;;
    --bundle=*) bundle="${args[i]#--bundle=}" ;;
    --process | -p) process="${args[i + 1]:-}" ;;
    --process=*) process="${args[i]#--process=}" ;;
  esac
done
# strip <json file> <jq filter>: rewrites the file in place.
strip() {
  [[ -f "$1" ]] || return 0
  jq "$2" "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}
if [[ -n "$bundle" ]]; then strip "$bundle/config.json" 'del(.process.rlimits, .process.oomScoreAdj)'; fi
if [[ -n "$process" ]]; then strip "$process" 'del(.rlimits, .oomScoreAdj)'; fi
exec /usr/sbin/runc "$@"
