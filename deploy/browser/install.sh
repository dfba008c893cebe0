#!/bin/sh
# Make Debian's headless browser available for the page's end-to-end test (tests/browser/): `chromium` and
# `chromedriver` on PATH (Debian/Ubuntu, as root). Idempotent: does nothing when both are already there.
# Selenium drives them from Python; no browser build is ever downloaded from elsewhere.
set -eu

have_both() {
    command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1
}

fail() {
    echo "deploy/browser/install.sh: error: $*" >&2
    exit 1
}

if have_both; then
    exit 0
fi

command -v apt-get >/dev/null 2>&1 || fail "chromium/chromedriver not on PATH and apt-get not available; install Chromium and its driver by hand"
[ "$(id -u)" = 0 ] || fail "chromium/chromedriver not on PATH and not root; run as root or install the Debian packages 'chromium' and 'chromium-driver'"

export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null 2>&1; then
    # Package lists missing or stale: refresh them once, then try again.
    apt-get update -qq || fail "apt-get update failed"
    apt-get install -y -qq --no-install-recommends chromium chromium-driver \
        || fail "apt-get install chromium chromium-driver failed"
fi

have_both || fail "the chromium packages are installed but chromium/chromedriver are still not on PATH"
echo "deploy/browser/install.sh: $(chromium --version 2>&1 | head -n 1)"
