#!/bin/sh
# Install Debian packages (as root, with apt-get) when commands a test needs are missing; idempotent.
# Usage: deploy/apt-install.sh "COMMAND..." PACKAGE...   (deploy/prometheus/install.sh, deploy/browser/install.sh)
# Package maintainer scripts may not start services meanwhile (a policy-rc.d of ours, removed afterwards).
set -eu

COMMANDS=$1
shift
NAME="deploy/apt-install.sh ($*)"

have_all() {
    for command in $COMMANDS; do
        command -v "$command" >/dev/null 2>&1 || return 1
    done
}

fail() {
    echo "$NAME: error: $*" >&2
    exit 1
}

if have_all; then
    exit 0
fi

command -v apt-get >/dev/null 2>&1 || fail "$COMMANDS not all on PATH and apt-get not available; install the Debian packages $* by hand"
[ "$(id -u)" = 0 ] || fail "$COMMANDS not all on PATH and not root; run as root or install the Debian packages $*"

# Forbid maintainer scripts from starting services while we install (policy-rc.d exit 101 = action forbidden).
# Only when no policy is in place already; our own policy is removed afterwards.
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=""
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\n# written by figurewatch deploy/apt-install.sh\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"
    OWN_POLICY=1
fi
cleanup() {
    if [ -n "$OWN_POLICY" ]; then rm -f "$POLICY"; fi
}
trap cleanup EXIT INT TERM

export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
    # Package lists missing or stale: refresh them once, then try again.
    apt-get update -qq || fail "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "$@" || fail "apt-get install $* failed"
fi

have_all || fail "the packages are installed but $COMMANDS are still not all on PATH"
