"""Every subcommand's help says what it does, explains each argument and shows an example of itself."""

from __future__ import annotations

import argparse
import re

import pytest

from streams.cli import _parser

pytestmark = pytest.mark.unit


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    [sub] = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    return dict(sub.choices)


def test_every_subcommand_is_documented() -> None:
    commands = _subcommands()
    assert {"worker", "serve", "extract", "replay", "evaluate", "demo", "broker"} <= set(commands)
    for name, parser in commands.items():
        text = parser.format_help()
        assert parser.description and len(parser.description) > 40, name
        example = text.split("example:\n", 1)[1].strip()
        assert re.match(rf"^(\w+=\S+ )*figurewatch {name}\b", example), (name, example)
        for action in parser._actions:
            if not isinstance(action, argparse._HelpAction):
                assert action.help, (name, action.dest)
