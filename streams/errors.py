"""Per-record error callbacks: what the worker does when processing one message raises.

A callback receives the exception and where the message came from and returns True to skip the
message (the agent then puts it on the dead-letter topic with reason ``processing_error`` and its stage,
and logs ``dead-lettered`` once the broker has acknowledged the record) or False to re-raise and stop the
agent. The default skips: bad input must never stop the worker.
"""

from __future__ import annotations

from collections.abc import Callable

from streams.deadletter import Origin
from streams.logs import get_logger

ProcessingErrorCallback = Callable[[Exception, Origin], bool]


def skip_and_log(exc: Exception, origin: Origin) -> bool:
    """Log the error with its origin and stack and skip the message (to the dead-letter topic)."""
    get_logger("errors").error(
        "processing error",
        exc_info=exc,
        extra={"topic": origin.topic, "partition": origin.partition, "offset": origin.offset},
    )
    return True


def raise_error(exc: Exception, origin: Origin) -> bool:
    """Stop the agent on the first error (for debugging)."""
    return False
