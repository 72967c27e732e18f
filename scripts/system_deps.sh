#!/usr/bin/env bash
# Debian packages the test suite drives for real: PostgreSQL (store and queue tests),
# Chromium (browser tests), antiword and catdoc (old .doc/.wps attachments), LibreOffice Writer
# (annotated Word drafts must open in it). Installed when missing and we are root; otherwise say what to do.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v antiword >/dev/null 2>&1 || need+=(antiword)
command -v catdoc >/dev/null 2>&1 || need+=(catdoc)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1 || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${need[*]} (apt-get)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "missing system packages: ${need[*]} — install them (e.g. sudo apt-get install ${need[*]})" >&2
  [ -z "${CI:-}" ] || exit 1
fi
