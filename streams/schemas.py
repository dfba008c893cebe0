"""Loads the JSON Schemas in the repository's ``schemas/`` folder and hands out cached validators.

Each topic value has ``schemas/<name>.schema.json`` (draft 2020-12) with examples under
``schemas/examples/<name>/{valid,invalid}/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from streams.datafiles import read_json, shipped_dir

SCHEMA_DIR = shipped_dir("schemas")


def schema_path(name: str) -> Path:
    return SCHEMA_DIR / f"{name}.schema.json"


@cache
def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = read_json(schema_path(name))
    Draft202012Validator.check_schema(schema)
    return schema


@cache
def validator_for(name: str) -> Draft202012Validator:
    """A validator for ``schemas/<name>.schema.json`` (format checks on)."""
    return Draft202012Validator(load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)
