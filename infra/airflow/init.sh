#!/usr/bin/env bash
# The `airflow-init` service: a one-shot that prepares Airflow's metadata database.
#
# Refuses to start with a missing secret or the well-known airflow/airflow login, then:
# migrates the database, creates (or resets) the admin user, and creates the crawl pool
# that caps concurrent site crawls (PRESSARCHIVE_CRAWL_SLOTS). Safe to run again.
set -euo pipefail

secret() {
  local file="/run/secrets/$1"
  if [[ ! -s "${file}" ]]; then
    echo "airflow-init: secret $1 is missing or empty: set it in .env" >&2
    exit 64
  fi
  cat "${file}"
}

for name in postgres_password airflow_fernet_key airflow_api_secret_key airflow_jwt_secret \
            airflow_admin_password; do
  secret "${name}" >/dev/null
done
admin="${AIRFLOW_ADMIN_USER:?set AIRFLOW_ADMIN_USER in .env}"
password="$(secret airflow_admin_password)"
if [[ "${admin}" == "airflow" || "${password}" == "airflow" || ${#password} -lt 12 ]]; then
  echo "airflow-init: choose an admin user other than airflow and a password of 12+ characters" >&2
  exit 64
fi

airflow db migrate

# `users create` leaves an existing user alone; the password then follows .env.
airflow users create --role Admin --username "${admin}" --password "${password}" \
  --firstname pressarchive --lastname admin --email "${AIRFLOW_ADMIN_EMAIL:-admin@localhost}"
airflow users reset-password --username "${admin}" --password "${password}"

airflow pools set pressarchive_crawl "${PRESSARCHIVE_CRAWL_SLOTS:-2}" "concurrent site crawls"
echo "airflow-init: done"
