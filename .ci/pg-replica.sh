#!/usr/bin/env bash
# A throwaway PostgreSQL primary with a streaming replica, on free ports under a temporary folder.
#
#   eval "$(.ci/pg-replica.sh start)"   # prints the exports below; the cluster runs in the background
#   .ci/pg-replica.sh stop "$CEPA_PG_REPLICA_DIR"
#
# Exports: CEPA_PG_REPLICA_DIR, CEPA_PG_PRIMARY_PORT, CEPA_PG_REPLICA_PORT. Uses Debian's PostgreSQL
# binaries (PGBIN, default the newest /usr/lib/postgresql/*/bin); as root, runs them as `postgres`.
set -euo pipefail

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}
[ -x "$PGBIN/pg_ctl" ] || { echo "pg-replica: no PostgreSQL binaries (apt-get install postgresql)" >&2; exit 2; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local dir primary replica
  dir=$(mktemp -d /tmp/cepa-pg-replica.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  primary=$(free_port)
  replica=$(free_port)
  while [ "$replica" = "$primary" ]; do replica=$(free_port); done
  {
    as_pg "$PGBIN/initdb" -D "$dir/primary" -U postgres --auth=trust
    # Throwaway: durability off for speed. Replication over TCP on loopback (initdb's pg_hba allows it).
    cat >>"$dir/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $primary
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
full_page_writes = off
CONF
    as_pg "$PGBIN/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start
    as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$dir/replica" -R -X stream
    as_pg "$PGBIN/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -o "-p $replica" -w start
  } >"$dir/setup.log" 2>&1 || { cat "$dir/setup.log" >&2; stop "$dir"; exit 1; }
  for _ in $(seq 1 50); do
    if [ "$(as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$replica" -U postgres -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ]; then
      echo "export CEPA_PG_REPLICA_DIR=$dir CEPA_PG_PRIMARY_PORT=$primary CEPA_PG_REPLICA_PORT=$replica"
      return 0
    fi
    sleep 0.2
  done
  echo "pg-replica: the replica did not come up" >&2
  cat "$dir/replica.log" >&2 || true
  stop "$dir"
  exit 1
}

stop() {
  local dir=${1:?usage: pg-replica.sh stop DIR}
  case "$dir" in /tmp/cepa-pg-replica.*) ;; *) echo "pg-replica: not one of ours: $dir" >&2; exit 2 ;; esac
  for node in replica primary; do
    [ -d "$dir/$node" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/$node" -m immediate -w stop >/dev/null 2>&1 || true
  done
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
