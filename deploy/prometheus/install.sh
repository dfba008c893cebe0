#!/bin/sh
# Make `prometheus` and `promtool` available on PATH (Debian/Ubuntu, as root), for the alert-rule tests
# and the Prometheus integration test. Idempotent: does nothing when both are already on PATH.
# The Debian package's own service is never started: tests run their own `prometheus` process.
set -eu

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
    exit 0
fi

sh "$(dirname "$0")/../apt-install.sh" "prometheus promtool" prometheus

# In a container without systemd nothing was started; on a systemd host keep the packaged service off.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now prometheus >/dev/null 2>&1 || true
fi

echo "deploy/prometheus/install.sh: $(prometheus --version 2>&1 | head -n 1)"
