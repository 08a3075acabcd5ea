# Starts a throw-away PostgreSQL cluster on 127.0.0.1:54329 (CI_PG_PORT chooses another port, so two
# runs on one machine keep their own clusters) and exports TEST_DATABASE_URL.
start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  local port=${CI_PG_PORT:-54329}
  local dir=/tmp/xueji-ci-pg
  [[ $port == 54329 ]] || dir=/tmp/xueji-ci-pg-$port
  # A cluster left running by an earlier run on this machine is stopped before its folder is removed.
  if [[ -f $dir/data/postmaster.pid ]]; then
    su postgres -s /bin/sh -c "$bin/pg_ctl -D $dir/data -m immediate stop" >/dev/null 2>&1 || true
  fi
  rm -rf "$dir" && mkdir -p "$dir" && chown postgres "$dir"
  su postgres -s /bin/sh -c "$bin/initdb -D $dir/data -U postgres --auth=trust -E UTF8 >/dev/null"
  su postgres -s /bin/sh -c "$bin/pg_ctl -D $dir/data -o '-p $port -k $dir -c listen_addresses=127.0.0.1' -l $dir/log -w start >/dev/null"
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "ci: PostgreSQL on $TEST_DATABASE_URL"
}
