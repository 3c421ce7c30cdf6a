#!/bin/sh
# First start of the database container only (docker-entrypoint-initdb.d): the two roles of
# docs/operations.md. contact_owner owns the database and runs migrations; contact_app is
# what the web, worker and beat processes log in as (row access only, granted after each
# migrate by `manage.py grant_app_privileges contact_app`). Neither is a superuser.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$OWNER_PASSWORD" -v app_password="$APP_PASSWORD" <<'SQL'
CREATE ROLE contact_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE contact_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE contact OWNER contact_owner;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname contact <<'SQL'
ALTER SCHEMA public OWNER TO contact_owner;
REVOKE ALL ON DATABASE contact FROM PUBLIC;
SQL
