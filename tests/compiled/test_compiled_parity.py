"""The mypyc-compiled extraction core and ledger (setup.py, deploy/build-compiled.sh) give the same claims
and change events as the plain Python source they are compiled from, byte for byte, through ``figurewatch
extract`` and ``figurewatch replay`` run from the unpacked wheel (which must work outside the checkout), on
every labeled corpus, on stitched and hostile items, and on the dev stream. mypyc checks types at run time
and has its own integer and float paths, so a compiled module can differ where Python would not; this test
builds the wheel for real (about a minute)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from tests.conftest import setup_constant

pytestmark = pytest.mark.compiled

REPO = Path(__file__).resolve().parents[2]
CORPORA = sorted(REPO.glob("corpus/*/extraction.jsonl"))


def _compiled_modules() -> list[str]:
    """The module paths setup.py compiles."""
    return list(setup_constant("COMPILED"))


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compiled")
    env = {**os.environ, "PYTHON": sys.executable}
    subprocess.run(["bash", str(REPO / "deploy/build-compiled.sh"), str(out)], check=True, env=env, timeout=900)
    return out


def _items(tmp_path: Path) -> Path:
    """Every corpus item, 300 items stitched from corpus bodies, and hostile bodies, as JSON Lines."""
    items = [orjson.loads(line)["item"] for path in CORPORA for line in path.read_bytes().splitlines() if line]
    rng = random.Random(3)
    bodies = [item["body"] for item in items]
    for n in range(300):
        items.append({**rng.choice(items), "id": f"stitched-{n}", "body": " ".join(rng.sample(bodies, 6))})
    hostile = ["", "9" * 5000, "Gaza " + "(" * 3000, "Gaza: " + "1,000 " * 2000, "Gaza \u202e\u0000\ufffd killed 12"]
    items.extend({**items[0], "id": f"hostile-{n}", "body": body} for n, body in enumerate(hostile))
    items.append({**items[0], "id": "bad-date", "published_at": "yesterday"})
    path = tmp_path / "items.jsonl"
    path.write_bytes(b"".join(orjson.dumps(item) + b"\n" for item in items))
    return path


def _run(pythonpath: Path, *argv: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run([sys.executable, *argv], check=False, capture_output=True, env=env, cwd=cwd, timeout=600)


def test_every_listed_module_is_compiled_in_the_build(compiled: Path) -> None:
    modules = [m.removesuffix(".py").replace("/", ".") for m in _compiled_modules()]
    assert "streams.extraction.extractor" in modules and "streams.numbers" in modules
    probe = "import importlib, sys; print(*(importlib.import_module(m).__file__ for m in sys.argv[1:]))"
    files = _run(compiled, "-c", probe, *modules, cwd=compiled).stdout.decode().split()
    assert all(f.startswith(str(compiled)) and f.endswith(".so") for f in files), files
    built = sorted(str(p.relative_to(compiled)).split(".")[0] for p in (compiled / "streams").rglob("*.so"))
    assert built == sorted(m.removesuffix(".py") for m in _compiled_modules()), "the wheel compiles what setup.py lists"


def test_the_wheel_carries_the_folders_it_reads(compiled: Path) -> None:
    probe = "from streams import broker, schemas; print(broker.DEPLOY_DIR, schemas.SCHEMA_DIR, broker.kafka_version())"
    deploy, schemas, version = _run(compiled, "-c", probe, cwd=compiled).stdout.decode().split()
    assert deploy == str(compiled / "streams/_bundled/deploy/kafka")
    assert schemas == str(compiled / "streams/_bundled/schemas")
    names = sorted(p.name for p in (REPO / "schemas").glob("*.json"))
    assert sorted(p.name for p in Path(schemas).glob("*.json")) == names
    assert version == (REPO / "deploy/kafka/pom.xml").read_text().split("<kafka.version>")[1].split("<")[0]
    def page_files(package: Path) -> list[str]:
        return sorted(str(p.relative_to(package)) for p in (package / "web").rglob("*") if p.is_file())

    page, shipped = page_files(REPO / "streams"), page_files(compiled / "streams")
    assert shipped == page and "web/index.html" in page, "the wheel carries the page figurewatch serve serves"


def test_compiled_claims_equal_pure_python_claims(compiled: Path, tmp_path: Path) -> None:
    items = _items(tmp_path)
    pure = _run(REPO, "-m", "streams", "extract", str(items), cwd=REPO)
    fast = _run(compiled, "-m", "streams", "extract", str(items), cwd=compiled)
    assert pure.returncode == 1 and b"'yesterday'" in pure.stderr, "the item with a bad date is rejected, with why"
    assert pure.stdout.count(b"\n") > 1000, "the items must yield many claims for the comparison to mean anything"
    assert (fast.returncode, fast.stdout, fast.stderr) == (pure.returncode, pure.stdout, pure.stderr)


def test_compiled_ledger_equals_pure_python_ledger(compiled: Path) -> None:
    """The compiled ledger raises the same change events and ends with the same tables over the dev stream."""
    stream = str(REPO / "corpus/stream/dev-stream.jsonl")
    pure = _run(REPO, "-m", "streams", "replay", stream, "--tables", cwd=REPO)
    fast = _run(compiled, "-m", "streams", "replay", stream, "--tables", cwd=compiled)
    assert pure.returncode == 0 and pure.stdout.count(b"\n") > 1000, pure.stderr[-2000:]
    assert (fast.returncode, fast.stdout, fast.stderr) == (pure.returncode, pure.stdout, pure.stderr)
