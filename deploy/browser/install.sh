#!/bin/sh
# Make Debian's headless browser available for the page's end-to-end test (tests/browser/): `chromium` and
# `chromedriver` on PATH (Debian/Ubuntu, as root). Idempotent: does nothing when both are already there.
# Selenium drives them from Python; no browser build is ever downloaded from elsewhere.
set -eu
sh "$(dirname "$0")/../apt-install.sh" "chromium chromedriver" chromium chromium-driver
echo "deploy/browser/install.sh: $(command -v chromium) and $(command -v chromedriver)"
