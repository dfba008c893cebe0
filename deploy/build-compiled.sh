#!/usr/bin/env bash
# Builds figurewatch as a wheel with its extraction core compiled by mypyc (setup.py) and unpacks the
# wheel into DIR, to be put first on PYTHONPATH: used by `make bench` and the compiled-parity test.
#   deploy/build-compiled.sh DIR        (PYTHON picks the interpreter; default python3)
set -euo pipefail
out=${1:?usage: deploy/build-compiled.sh DIR}
python=${PYTHON:-python3}
root=$(cd "$(dirname "$0")/.." && pwd)
wheels=$(mktemp -d)
trap 'rm -rf "$wheels"' EXIT
FIGUREWATCH_COMPILE=1 "$python" -m pip wheel --quiet --no-deps --wheel-dir "$wheels" "$root"
rm -rf "$out"
mkdir -p "$out"
"$python" -m zipfile -e "$wheels"/figurewatch-*.whl "$out"
