#!/bin/sh
# Patroni's post_bootstrap hook (/etc/patroni/indgang-post-bootstrap.sh, mode 0750, owner postgres): runs once,
# on the first primary right after initdb, with a superuser connection string as its argument. It creates the
# login role Indgang connects as and the database that role owns; `indgang migrate` creates the tables.
# The password comes from INDGANG_DB_PASSWORD in /etc/patroni/env.conf (Patroni passes its environment on).
set -eu
: "${INDGANG_DB_PASSWORD:?set INDGANG_DB_PASSWORD in /etc/patroni/env.conf}"
psql -X -v ON_ERROR_STOP=1 -v pw="$INDGANG_DB_PASSWORD" "$1" <<'SQL'
SET synchronous_commit = local;   -- no standby exists yet to confirm these commits
CREATE ROLE indgang LOGIN PASSWORD :'pw';
CREATE DATABASE indgang OWNER indgang ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE indgang FROM PUBLIC;
SQL
