"""The public names are exactly what ``__all__`` says, and every module says what it is for."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import streams

pytestmark = pytest.mark.unit


def test_public_names_match_all() -> None:
    public = {name for name in vars(streams) if not name.startswith("_")}
    modules = {name for name, value in vars(streams).items() if type(value).__name__ == "module"}
    assert public - modules == set(streams.__all__) - {"__version__"}
    for name in streams.__all__:
        assert hasattr(streams, name)


def test_every_module_has_a_docstring() -> None:
    for info in pkgutil.walk_packages(streams.__path__, "streams."):
        if info.name == "streams.__main__":
            continue
        module = importlib.import_module(info.name)
        assert (module.__doc__ or "").strip(), f"{info.name} has no docstring"
