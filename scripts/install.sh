#!/usr/bin/env bash
# Install vnplan on Debian 12: system tools (apt) and the Python 3.11 venv (.venv).
# Idempotent: apt runs only when a package is missing, pip only when pyproject.toml changed.
# Run as root. VENV=/path overrides the venv location (default: <repo>/.venv).
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
ROOT=$(pwd)
VENV=${VENV:-$ROOT/.venv}

APT_PACKAGES=(
    python3 python3-venv python3-pip ca-certificates
    tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd poppler-utils
    libreoffice-writer fonts-liberation fonts-dejavu-core
    chromium chromium-driver
)

log() { printf '[install] %s\n' "$*"; }

installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    installed "$pkg" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]]; then
        log "missing system packages (${missing[*]}); run this script as root"
        exit 1
    fi
    log "apt: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
else
    log "apt: all ${#APT_PACKAGES[@]} system packages present"
fi

pick_python() {
    local py
    for py in python3.11 python3; do
        if command -v "$py" >/dev/null 2>&1 &&
            "$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            echo "$py"
            return 0
        fi
    done
    return 1
}

if [[ ! -x $VENV/bin/python ]]; then
    PYTHON=$(pick_python) || { log "no Python 3.11 found (python3.11 or python3)"; exit 1; }
    log "venv: creating $VENV with $($PYTHON --version 2>&1)"
    "$PYTHON" -m venv "$VENV"
else
    log "venv: $VENV exists ($("$VENV/bin/python" --version 2>&1))"
fi

stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [[ -e $stamp ]]; then
    log "pip: up to date with pyproject.toml (${stamp##*/})"
else
    log "pip: installing vnplan[test] (editable) into $VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[test]"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
    log "pip: done (${stamp##*/})"
fi

log "ready: $VENV/bin/python, $(tesseract --version 2>&1 | head -n1), $(soffice --version 2>/dev/null | head -n1 | cut -d' ' -f1-2)"
