"""The exceptions figurewatch raises, in one tree.

    FigurewatchError
    ├── ConfigError            a setting is missing, malformed, or refused (a SASL login, a session timeout)
    ├── UsageError             a command-line argument cannot be used (an input file that cannot be read)
    ├── InputError             one record of input cannot be used (goes to the dead-letter topic)
    │   └── ItemRejected       a news item failed validation; ``reason`` names why
    ├── DataFileError          a shipped or user-supplied vocabulary file disagrees with the code
    ├── QueryError             a request to the read API (``figurewatch serve``) has a bad parameter
    ├── BrokerError            the local Kafka broker cannot be fetched, started, reached or stopped
    ├── OutputRefused          the broker refused an output of a message for good (too large)
    └── WorkerError            a worker run by the CLI (demo) exited or made no progress in time

Errors from outside libraries (kafka-python, aiokafka, subprocesses) are translated at the boundary
with ``raise BrokerError(...) from exc`` so callers only ever catch these.
"""

from __future__ import annotations


class FigurewatchError(Exception):
    """Base of every error figurewatch raises on purpose."""


class ConfigError(FigurewatchError):
    """A setting is missing or malformed."""


class UsageError(FigurewatchError):
    """A command-line argument cannot be used: an input file that is missing, a folder, or unreadable."""


class InputError(FigurewatchError):
    """One input record cannot be used; the worker skips it and goes on."""


class ItemRejected(InputError):
    """A news item failed validation. ``reason`` is a short machine-readable code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class DataFileError(FigurewatchError):
    """A vocabulary data file (gazetteer, taxonomy, qualifiers) disagrees with the code."""


class QueryError(FigurewatchError):
    """A request to the read API has a bad parameter; ``parameter`` names it, the message says why."""

    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(f"{parameter}: {reason}")
        self.parameter = parameter
        self.reason = reason


class BrokerError(FigurewatchError):
    """The local Kafka broker cannot be fetched, started, reached or stopped."""


class OutputRefused(FigurewatchError):
    """The broker (or the producer's request limit) refused an output record for good: it is too large."""


class WorkerError(FigurewatchError):
    """A worker started by the CLI exited early or did not make progress in time."""
