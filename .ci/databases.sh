#!/usr/bin/env bash
# Installs PostgreSQL and MariaDB from Debian, starts them on loopback with a password-protected
# user, loads the fixture table, and exports the GESALP_TEST_* variables the sample-db suite reads.
# Sourced by .ci/run; returns non-zero (and the suite falls back to SQLite) if any step fails.

ci_databases() {
  local pg_password mysql_password pg_version
  pg_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  mysql_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')

  if ! command -v pg_ctlcluster >/dev/null || ! command -v mariadbd >/dev/null; then
    echo "== installing postgresql and mariadb-server"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || return 1
    apt-get install -y -qq postgresql mariadb-server >/dev/null || return 1
  fi

  echo "== starting PostgreSQL on 127.0.0.1:5432"
  pg_version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  [ -d "/etc/postgresql/$pg_version/main" ] || pg_createcluster "$pg_version" main >/dev/null || return 1
  pg_ctlcluster "$pg_version" main start 2>/dev/null || pg_ctlcluster "$pg_version" main status >/dev/null || return 1
  su postgres -c "psql -q -v ON_ERROR_STOP=1" <<SQL || return 1
DROP DATABASE IF EXISTS gesalp;
DROP ROLE IF EXISTS gesalp;
CREATE ROLE gesalp LOGIN PASSWORD '$pg_password';
CREATE DATABASE gesalp OWNER gesalp;
SQL

  echo "== starting MariaDB on 127.0.0.1:3306"
  if ! mariadb-admin ping >/dev/null 2>&1; then
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
    (mariadbd-safe --bind-address=127.0.0.1 >/dev/null 2>&1 &)
    for _ in $(seq 1 30); do mariadb-admin ping >/dev/null 2>&1 && break; sleep 1; done
    mariadb-admin ping >/dev/null 2>&1 || return 1
  fi
  mariadb <<SQL || return 1
DROP DATABASE IF EXISTS gesalp;
DROP USER IF EXISTS 'gesalp'@'127.0.0.1';
CREATE DATABASE gesalp;
CREATE USER 'gesalp'@'127.0.0.1' IDENTIFIED BY '$mysql_password';
GRANT ALL ON gesalp.* TO 'gesalp'@'127.0.0.1';
SQL

  export GESALP_TEST_PG_URL="postgres://gesalp@127.0.0.1:5432/gesalp" GESALP_TEST_PG_PASSWORD="$pg_password"
  export GESALP_TEST_MYSQL_URL="mysql://gesalp@127.0.0.1:3306/gesalp" GESALP_TEST_MYSQL_PASSWORD="$mysql_password"
  GESALP_LOAD_PASSWORD="$pg_password" node dist/scripts/load-hospital.js pg "$GESALP_TEST_PG_URL" || return 1
  GESALP_LOAD_PASSWORD="$mysql_password" node dist/scripts/load-hospital.js mysql "$GESALP_TEST_MYSQL_URL" || return 1
}
