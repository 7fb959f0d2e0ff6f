#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an EMPTY database and uploads folder.
#   deploy/restore.sh DATABASE_URL DUMP MEDIA_TAR MEDIA_ROOT
# The database must exist, be empty and be UTF-8 with a UTF-8 ctype (README: Running on
# PostgreSQL): createdb -T template0 -E UTF8 --lc-collate=C.UTF-8 --lc-ctype=C.UTF-8 haru
# Stop web, workers, beat and the socket process first; run `manage.py migrate` afterwards
# when the code is newer than the backup.
set -euo pipefail
url=${1:?DATABASE_URL}; dump=${2:?DUMP}; media_tar=${3:?MEDIA_TAR}; media=${4:?MEDIA_ROOT}
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$dump"
mkdir -p "$media"
tar -xzf "$media_tar" -C "$media"
echo "restored $dump and $media_tar"
