#!/usr/bin/env bash
# Restore a backup into a new, empty database: deploy/restore.sh FILE TARGET_URL
# TARGET_URL names a database that does not exist yet (postgres://user:pw@host:port/name);
# its role needs CREATEDB. Nothing existing is overwritten.
set -euo pipefail
file="${1:?usage: deploy/restore.sh FILE TARGET_URL}"
target="${2:?usage: deploy/restore.sh FILE TARGET_URL}"
name="${target##*/}"
server="${target%/*}/postgres"
createdb --maintenance-db="$server" "$name"
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$target" "$file"
echo "Restored $file into $name"
