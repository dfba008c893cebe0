"""How every figurewatch command reports an error: one line on stderr starting ``figurewatch: error:``.

:func:`print_error` writes that line; :class:`ArgumentParser` makes argparse's usage errors (a missing
argument, an unknown command or option) such a line too, with exit status 2, instead of its usage block.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

PROGRAM = "figurewatch"
USAGE_ERROR = 2
"""The exit status of a usage error, as argparse has it."""


def print_error(message: str) -> None:
    """Print one error line: any line break inside the message (an outside library's text) is flattened."""
    print(f"{PROGRAM}: error: " + " ".join(message.split()), file=sys.stderr)


class ArgumentParser(argparse.ArgumentParser):
    """argparse, reporting a usage error in one :func:`print_error` line that names the command."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix(PROGRAM).strip()
        print_error(f"{command + ': ' if command else ''}{message} (see {self.prog} --help)")
        raise SystemExit(USAGE_ERROR)
