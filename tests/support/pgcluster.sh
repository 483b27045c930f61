#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on a Unix socket only.
#   pgcluster.sh start URLFILE   starts one and writes its base URL to URLFILE
#   pgcluster.sh stop URLFILE    stops it and removes its folder
# PostgreSQL refuses to run as root: as root, the cluster runs as 'postgres'.
set -euo pipefail
cmd=$1
urlfile=$2
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$pgbin" ]]; then
  echo "pgcluster: PostgreSQL server binaries not found (package postgresql)" >&2
  exit 1
fi
run=()
if [[ $(id -u) -eq 0 ]]; then
  run=(runuser -u postgres --)
fi

case "$cmd" in
start)
  if [[ -f "$urlfile.dir" ]]; then "$0" stop "$urlfile" || true; fi
  dir=$(mktemp -d /tmp/kaodian-pg.XXXXXX)
  chmod 755 "$dir"
  [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
  "${run[@]}" "$pgbin/initdb" -D "$dir/data" -A trust -U kaodian -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  "${run[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -c listen_addresses= -c max_connections=100 -c shared_buffers=128MB" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "$dir" >"$urlfile.dir"
  echo "postgresql://kaodian@/postgres?host=$dir" >"$urlfile"
  ;;
stop)
  if [[ -f "$urlfile.dir" ]]; then
    dir=$(cat "$urlfile.dir")
    "${run[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir" "$urlfile.dir" "$urlfile"
  fi
  ;;
*)
  echo "usage: pgcluster.sh start|stop URLFILE" >&2
  exit 2
  ;;
esac
