#!/usr/bin/env bash
# Back up Haru ERP: PostgreSQL (custom-format dump) and the uploads folder, side by side.
#   deploy/backup.sh DATABASE_URL MEDIA_ROOT BACKUP_DIR
# Writes BACKUP_DIR/haru-<UTC stamp>.dump and .media.tar.gz; prints their paths.
# The dump is consistent on its own (pg_dump takes a snapshot); take the uploads right after
# it, so at worst a file uploaded in between is present without its row (harmless).
set -euo pipefail
url=${1:?DATABASE_URL}; media=${2:?MEDIA_ROOT}; out=${3:?BACKUP_DIR}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
pg_dump --format=custom --no-owner --no-privileges --dbname="$url" --file="$out/haru-$stamp.dump"
tar -czf "$out/haru-$stamp.media.tar.gz" -C "$media" .
echo "$out/haru-$stamp.dump"
echo "$out/haru-$stamp.media.tar.gz"
