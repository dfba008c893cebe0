"""Finding and reading the data files figurewatch ships (vocabulary, schemas, broker config) and checking their keys.

Every loader goes through these functions, so a file that cannot be read or that disagrees with the
code fails the same way: a :class:`~streams._exceptions.DataFileError` naming the file and the key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from streams._exceptions import DataFileError

BUNDLE = "_bundled"
"""The folder inside the package where a built wheel carries copies of top-level folders (setup.py)."""


def shipped_dir(folder: str) -> Path:
    """A top-level folder of the project (``schemas``, ``deploy/kafka``): in the checkout, or the copy a
    built wheel carries under ``streams/_bundled/``, so an installed wheel works outside the checkout."""
    package = Path(__file__).resolve().parent
    bundled = package / BUNDLE / folder
    return bundled if bundled.is_dir() else package.parent / folder


def read_json(path: Path) -> Any:
    """The parsed content of a JSON data file."""
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise DataFileError(f"cannot load {path}: {exc}") from exc


def checked_object(where: str, data: Any, allowed: set[str], required: set[str] | None = None) -> dict[str, Any]:
    """``data`` as an object whose keys are among ``allowed`` and include ``required`` (default: all)."""
    if not isinstance(data, dict):
        raise DataFileError(f"{where}: expected an object, got {type(data).__name__}")
    unknown = set(data) - allowed
    if unknown:
        raise DataFileError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}")
    missing = (allowed if required is None else required) - set(data)
    if missing:
        raise DataFileError(f"{where}: missing keys {sorted(missing)}")
    return data
