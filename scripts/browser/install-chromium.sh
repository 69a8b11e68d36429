#!/usr/bin/env bash
# Debian's chromium for the browser test (test/e2e/browser.mjs). Idempotent: a no-op when
# /usr/bin/chromium exists. Needs root (apt-get); never downloads a Playwright browser build.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-chromium: $CHROMIUM is missing and apt-get is not available; install Debian's chromium" >&2
	exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
		echo "install-chromium: $CHROMIUM is missing; run as root (apt-get install -y chromium)" >&2
		exit 1
	fi
fi

echo "install-chromium: installing Debian's chromium (apt-get)…" >&2
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >/dev/null
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
if [ ! -x "$CHROMIUM" ]; then
	echo "install-chromium: apt-get finished but $CHROMIUM is still missing" >&2
	exit 1
fi
echo "install-chromium: $("$CHROMIUM" --version 2>/dev/null | head -1) in $(( $(date +%s) - start )) s" >&2
