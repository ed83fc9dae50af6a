#!/usr/bin/env bash
# PostgreSQL init script (first start of an empty data directory only): one
# owner role and one database per service named in EOCMS_SERVICES, each role's
# password from <SERVICE>_DB_PASSWORD. A service's role can reach no other
# service's database: CONNECT is revoked from PUBLIC.
set -euo pipefail

for service in ${EOCMS_SERVICES}; do
  password_var="${service^^}_DB_PASSWORD"
  password="${!password_var:?${password_var} is required}"
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER}" --dbname postgres \
    --set=service="${service}" --set=password="${password}" <<'SQL'
CREATE ROLE :"service" LOGIN PASSWORD :'password';
CREATE DATABASE :"service" OWNER :"service";
REVOKE CONNECT ON DATABASE :"service" FROM PUBLIC;
SQL
done
