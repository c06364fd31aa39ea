#!/usr/bin/env bash
# Print .env.example with every empty secret filled with a fresh random value:
#
#   infra/compose/new-env.sh > .env
#
# A secret is a variable whose comment line starts with "# Secret:". Values are hex (safe
# in URLs and shells), except AIRFLOW_FERNET_KEY: 32 random bytes in URL-safe base64.
set -euo pipefail
example="$(dirname "$0")/../../.env.example"

random_hex() { head -c 24 /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }
fernet_key() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '\n'; }

secret_next=0
while IFS= read -r line || [[ -n "${line}" ]]; do
  if [[ "${line}" == "# Secret:"* ]]; then
    secret_next=1
  elif [[ ${secret_next} -eq 1 && "${line}" =~ ^([A-Z0-9_]+)=$ ]]; then
    name="${BASH_REMATCH[1]}"
    if [[ "${name}" == "AIRFLOW_FERNET_KEY" ]]; then
      line="${name}=$(fernet_key)"
    else
      line="${name}=$(random_hex)"
    fi
    secret_next=0
  elif [[ "${line}" != "#"* ]]; then
    secret_next=0
  fi
  printf '%s\n' "${line}"
done < "${example}"
