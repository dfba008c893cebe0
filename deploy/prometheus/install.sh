#!/bin/sh
# Make `prometheus` and `promtool` available on PATH (Debian/Ubuntu, as root), for the alert-rule tests
# and the Prometheus integration test. Idempotent: does nothing when both are already on PATH.
# The Debian package's own service is never started: tests run their own `prometheus` process.
set -eu

have_both() {
    command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1
}

fail() {
    echo "deploy/prometheus/install.sh: error: $*" >&2
    exit 1
}

if have_both; then
    exit 0
fi

command -v apt-get >/dev/null 2>&1 || fail "prometheus/promtool not on PATH and apt-get not available; install Prometheus (prometheus and promtool binaries) by hand"
[ "$(id -u)" = 0 ] || fail "prometheus/promtool not on PATH and not root; run as root or install the Debian package 'prometheus'"

# Forbid maintainer scripts from starting services while we install (policy-rc.d exit 101 = action forbidden).
# Only when no policy is in place already; our own policy is removed afterwards.
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=""
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\n# written by figurewatch deploy/prometheus/install.sh\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"
    OWN_POLICY=1
fi
cleanup() {
    if [ -n "$OWN_POLICY" ]; then rm -f "$POLICY"; fi
}
trap cleanup EXIT INT TERM

export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1; then
    # Package lists missing or stale: refresh them once, then try again.
    apt-get update -qq || fail "apt-get update failed"
    apt-get install -y -qq --no-install-recommends prometheus \
        || fail "apt-get install prometheus failed"
fi

# In a container without systemd nothing was started; on a systemd host keep the packaged service off.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now prometheus >/dev/null 2>&1 || true
fi

have_both || fail "the prometheus package is installed but prometheus/promtool are still not on PATH"
echo "deploy/prometheus/install.sh: $(prometheus --version 2>&1 | head -n 1)"
