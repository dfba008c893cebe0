"""Build hooks: a wheel carries the top-level folders the package reads, and FIGUREWATCH_COMPILE=1
compiles the extraction core and the ledger with mypyc. Everything else about the package is in pyproject.toml.

``schemas/`` and ``deploy/kafka/`` stay at the top of the checkout; a built (not editable) wheel carries
copies under ``streams/_bundled/``, where ``streams.datafiles.shipped_dir`` finds them, so a wheel works
outside the checkout.

Without FIGUREWATCH_COMPILE (the default, and what ``make test`` installs, editable) the package is plain
Python. With it, ``pip wheel .`` or ``pip install .`` also compiles the modules in :data:`COMPILED` to C
extensions: the same source, 1.6-2.1x faster (docs/benchmarks.md). Compiled modules shadow their
sources only inside the built wheel, never in the checkout, so an edited source is never hidden by a
stale build.
"""

import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("schemas", "deploy/kafka")
"""Top-level folders a wheel carries under streams/_bundled/ (streams.datafiles.BUNDLE)."""


class BuildPy(build_py):
    """build_py that also copies :data:`BUNDLED` into the package (not for editable installs, which
    read the checkout)."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            for folder in BUNDLED:
                shutil.copytree(folder, os.path.join(self.build_lib, "streams", "_bundled", folder), dirs_exist_ok=True)


COMPILED = [
    "streams/phrases.py",
    "streams/numbers.py",
    "streams/extraction/attribution.py",
    "streams/extraction/basis.py",
    "streams/extraction/dates.py",
    "streams/extraction/extractor.py",
    "streams/extraction/lists.py",
    "streams/extraction/place.py",
    "streams/extraction/readable.py",
    "streams/extraction/reading.py",
    "streams/extraction/sentences.py",
    "streams/extraction/target.py",
    "streams/extraction/vocabulary.py",
    "streams/claims.py",
    "streams/hierarchy.py",
    "streams/ledger/events.py",
    "streams/ledger/ledger.py",
    "streams/ledger/parts.py",
    "streams/ledger/rules.py",
    "streams/ledger/series.py",
    "streams/ledger/state.py",
]
"""The extraction core's and the ledger's modules that are compiled; tests/compiled/ checks that each is
compiled in the wheel and that the wheel's claims (and the ledger's outcomes) equal the source's."""

if os.environ.get("FIGUREWATCH_COMPILE") == "1":
    from mypyc.build import mypycify

    setup(cmdclass={"build_py": BuildPy}, ext_modules=mypycify(COMPILED, opt_level="3"))
else:
    setup(cmdclass={"build_py": BuildPy})
