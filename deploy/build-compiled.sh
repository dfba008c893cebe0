#!/usr/bin/env bash
# Builds figurewatch as a wheel with its extraction core compiled by mypyc (setup.py) and unpacks the
# wheel into DIR, to be put first on PYTHONPATH: used by `make bench` and the compiled-parity test.
# The build runs in a fresh copy of the sources, so nothing left in a build/ folder can enter the wheel.
#   deploy/build-compiled.sh DIR        (PYTHON picks the interpreter; default python3)
set -euo pipefail
out=${1:?usage: deploy/build-compiled.sh DIR}
python=${PYTHON:-python3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/src" "$work/wheels"
cp -R "$root/pyproject.toml" "$root/setup.py" "$root/README.md" "$root/LICENSE" "$root/streams" "$root/schemas" "$root/deploy" "$work/src/"
find "$work/src" -name __pycache__ -prune -exec rm -rf {} +
FIGUREWATCH_COMPILE=1 "$python" -m pip wheel --quiet --no-deps --wheel-dir "$work/wheels" "$work/src"
rm -rf "$out"
mkdir -p "$out"
"$python" -m zipfile -e "$work"/wheels/figurewatch-*.whl "$out"
