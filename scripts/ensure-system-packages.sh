#!/usr/bin/env bash
# Makes sure the system packages the tests need are installed:
#   chromium        Playwright drives Debian's Chromium (npx playwright install cannot download here)
#   postgresql-15   the integration tests also run on a throwaway PostgreSQL 15 server
#   dovecot-imapd   the email-listener tests talk to a throwaway IMAP server
# As root it installs only the missing ones (apt-get update once, then apt-get install -y).
# As any other user it names the missing packages and exits 2.
set -euo pipefail

missing=()
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
if [ ! -x /usr/lib/postgresql/15/bin/initdb ] || [ ! -x /usr/lib/postgresql/15/bin/pg_ctl ]; then missing+=(postgresql-15); fi
if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then missing+=(dovecot-imapd); fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "System packages present: chromium, postgresql-15, dovecot-imapd"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "The tests need them and only root can install them. Run as root (or with sudo):" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 2
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]}, and apt-get is not available to install them." >&2
  exit 2
fi

echo "Installing missing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt/dpkg (e.g. an install already running in the background) rather than fail.
apt_options=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
apt-get "${apt_options[@]}" update -qq
apt-get "${apt_options[@]}" install -y -qq "${missing[@]}"
echo "Installed: ${missing[*]}"
