#!/usr/bin/env bash
# with-secrets.sh NAME=secret ... -- COMMAND [ARG...]
#
# Exports each NAME with the content of the Compose secret /run/secrets/<secret> (or
# $SECRETS_DIR/<secret>), then replaces itself with COMMAND. For programs that read a
# password only from their environment: the value reaches that one process, not
# `docker inspect` or the compose file. A missing or empty secret stops the container.
set -euo pipefail
secrets="${SECRETS_DIR:-/run/secrets}"

while [[ $# -gt 0 && "$1" != "--" ]]; do
  name="${1%%=*}"
  secret="${1#*=}"
  file="${secrets}/${secret}"
  if [[ ! -s "${file}" ]]; then
    echo "with-secrets: secret ${secret} for ${name} is missing or empty (set it in .env)" >&2
    exit 64
  fi
  export "${name}=$(<"${file}")"
  shift
done
if [[ $# -lt 2 ]]; then
  echo "usage: with-secrets.sh NAME=secret ... -- COMMAND [ARG...]" >&2
  exit 64
fi
shift
exec "$@"
