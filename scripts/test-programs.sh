#!/usr/bin/env bash
# The programs the tests use besides Python packages: tmux runs the real program in a real
# terminal (tests/reliability/test_terminal.py); poppler-utils (pdftotext) reads the exported
# PDFs back; postgresql is the team server the store tests also run on (tests/pg.py starts one
# itself, in /tmp); calcurse is a real calendar program that reads the exported .ics back.
# As root on Debian or Ubuntu the missing ones are installed; otherwise this says which are
# missing, and the tests that need one are skipped with the same command in their reason.
set -euo pipefail
missing=""
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
    || missing="$missing postgresql"
command -v calcurse >/dev/null 2>&1 || missing="$missing calcurse"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Programma's voor de tests installeren:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq $missing >/dev/null
else
    echo "Ontbreekt voor een deel van de tests:$missing. Installeer met: sudo apt-get install$missing"
    echo "(de tests die ze nodig hebben worden overgeslagen)"
fi
