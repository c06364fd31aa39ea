#!/usr/bin/env bash
# PostgreSQL and Redis from Debian's packages, for Airflow without Docker: the metadata
# database and the Celery broker of README "Scale out without Docker" and of the
# real-Airflow tests. Each is a private instance under its own DIR, on 127.0.0.1 only,
# with a generated password kept in DIR (mode 0600). No systemd needed.
#
#   infra/airflow/services.sh install              # apt-get install postgresql redis-server
#   infra/airflow/services.sh postgres DIR PORT    # start it (initdb the first time)
#   infra/airflow/services.sh redis DIR PORT       # start it
#   infra/airflow/services.sh stop DIR             # stop what runs under DIR
#
# `postgres` prints the SQLAlchemy URL of its `airflow` database, `redis` the broker URL;
# both write it to DIR/url too (0600). Everything is idempotent: installing what is there
# does nothing, starting what runs prints its URL again. A server runs as the caller; as
# root, as its package's own user (postgres, redis), which must be able to reach DIR.
set -euo pipefail

die() { echo "services.sh: $*" >&2; exit "${2:-1}"; }

postgres_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "${bin}" && -x "${bin}/pg_ctl" ]] && echo "${bin}"
}

install() {
  if postgres_bin >/dev/null && command -v redis-server >/dev/null; then
    return 0
  fi
  [[ "$(id -u)" == 0 ]] || die "PostgreSQL or Redis is missing; as root: apt-get install -y postgresql redis-server" 69
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql redis-server >/dev/null
}

# as USER CMD...: CMD as the service's user when root, else as the caller.
as() {
  local user="$1"; shift
  if [[ "$(id -u)" == 0 ]]; then runuser -u "${user}" -- "$@"; else "$@"; fi
}

prepare_dir() {
  local dir="$1" user="$2"
  mkdir -p "${dir}"
  chmod 0700 "${dir}"
  if [[ "$(id -u)" == 0 ]]; then
    chown "${user}:" "${dir}"
    as "${user}" test -w "${dir}" || die "${user} cannot write ${dir}: pick a directory it can reach" 73
  fi
}

new_password() {
  local file="$1" user="$2"
  if [[ ! -s "${file}" ]]; then
    (umask 077; od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "${file}")
    [[ "$(id -u)" == 0 ]] && chown "${user}:" "${file}"
  fi
  cat "${file}"
}

write_url() {
  local dir="$1" url="$2"
  # no newline: Airflow's `*_CMD` options take a command's output as it is
  (umask 077; printf '%s' "${url}" > "${dir}/url")
  printf '%s\n' "${url}"
}

start_postgres() {
  local dir="$1" port="$2" bin data password
  bin="$(postgres_bin)" || die "PostgreSQL is not installed: services.sh install" 69
  dir="$(realpath -m "${dir}")"
  data="${dir}/data"
  prepare_dir "${dir}" postgres
  password="$(new_password "${dir}/password" postgres)"
  if [[ ! -s "${data}/PG_VERSION" ]]; then
    as postgres "${bin}/initdb" -D "${data}" -U airflow --pwfile="${dir}/password" \
      --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"${dir}/initdb.log"
  fi
  if ! as postgres "${bin}/pg_ctl" -D "${data}" status >/dev/null 2>&1; then
    as postgres "${bin}/pg_ctl" -D "${data}" -l "${dir}/postgres.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}" start >/dev/null \
      || die "PostgreSQL did not start: $(tail -n 5 "${dir}/postgres.log")"
  fi
  if [[ -z "$(PGPASSWORD="${password}" "${bin}/psql" -h 127.0.0.1 -p "${port}" -U airflow \
              -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'airflow'")" ]]; then
    PGPASSWORD="${password}" "${bin}/createdb" -h 127.0.0.1 -p "${port}" -U airflow airflow
  fi
  write_url "${dir}" "postgresql+psycopg2://airflow:${password}@127.0.0.1:${port}/airflow"
}

start_redis() {
  local dir="$1" port="$2" password
  command -v redis-server >/dev/null || die "Redis is not installed: services.sh install" 69
  dir="$(realpath -m "${dir}")"
  prepare_dir "${dir}" redis
  password="$(new_password "${dir}/password" redis)"
  if ! redis_alive "${dir}"; then
    (umask 077; cat > "${dir}/redis.conf" <<EOF
bind 127.0.0.1
port ${port}
protected-mode yes
requirepass ${password}
daemonize yes
pidfile ${dir}/redis.pid
logfile ${dir}/redis.log
dir ${dir}
appendonly yes
save ""
EOF
)
    [[ "$(id -u)" == 0 ]] && chown redis: "${dir}/redis.conf"
    as redis redis-server "${dir}/redis.conf"
  fi
  local tries=0
  until REDISCLI_AUTH="${password}" redis-cli -h 127.0.0.1 -p "${port}" ping 2>/dev/null \
        | grep -q PONG; do
    (( ++tries < 100 )) || die "Redis did not answer: $(tail -n 5 "${dir}/redis.log")"
    sleep 0.1
  done
  write_url "${dir}" "redis://:${password}@127.0.0.1:${port}/0"
}

redis_alive() {
  [[ -s "$1/redis.pid" ]] && kill -0 "$(cat "$1/redis.pid")" 2>/dev/null
}

stop() {
  local dir="$1" bin
  if [[ -s "${dir}/data/PG_VERSION" ]] && bin="$(postgres_bin)"; then
    as postgres "${bin}/pg_ctl" -D "${dir}/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if redis_alive "${dir}"; then
    local pid
    pid="$(cat "${dir}/redis.pid")"
    kill "${pid}"
    while kill -0 "${pid}" 2>/dev/null; do sleep 0.1; done
  fi
}

case "${1:-}" in
  install) install ;;
  postgres) [[ $# == 3 ]] || die "usage: $0 postgres DIR PORT" 64; start_postgres "$2" "$3" ;;
  redis) [[ $# == 3 ]] || die "usage: $0 redis DIR PORT" 64; start_redis "$2" "$3" ;;
  stop) [[ $# == 2 ]] || die "usage: $0 stop DIR" 64; stop "$2" ;;
  *) sed -n '2,15p' "$0" >&2; exit 64 ;;
esac
