#!/usr/bin/env bash
# Back up the whole database to one file: deploy/backup.sh FILE
# Reads DATABASE_URL (postgres://user:password@host:port/name). The custom format is
# compressed and lets pg_restore restore into any database, in parallel if wanted.
set -euo pipefail
file="${1:?usage: deploy/backup.sh FILE}"
: "${DATABASE_URL:?DATABASE_URL must name the database to back up}"
pg_dump --format=custom --no-owner --no-privileges --file="$file" "$DATABASE_URL"
pg_restore --list "$file" >/dev/null  # the file is readable and complete
echo "Backed up to $file ($(du -h "$file" | cut -f1))"
