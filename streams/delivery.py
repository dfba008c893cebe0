"""Publishing a message's outputs until the broker acknowledges them: the only way the agents send.

A send that fails for a passing reason (broker unreachable, leader moving, request timed out) is retried
with backoff for as long as this worker still owns the message's partition: the agent does not move on,
so its offset never commits past a message whose outputs were not acknowledged. Once the partition is
lost (a rebalance), the message is left to its new owner, which reads it again from the committed offset.
A record refused for good because it is too large raises :class:`~streams._exceptions.OutputRefused`, and
the agent dead-letters the message instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field

from aiokafka.errors import MessageSizeTooLargeError, RecordListTooLargeError, RecordTooLargeError

from streams._exceptions import OutputRefused

TOO_LARGE = (MessageSizeTooLargeError, RecordTooLargeError, RecordListTooLargeError)


def too_large(exc: BaseException) -> bool:
    """True when ``exc``, or an exception it was raised from, says a record is too large."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TOO_LARGE):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@dataclass
class Delivery:
    """Sends with retries; ``waiting`` holds the partitions whose current message waits on a failed send."""

    first_retry_seconds: float = 0.5
    max_retry_seconds: float = 30.0
    waiting: set[Hashable] = field(default_factory=set)

    async def deliver(self, send: Callable[[], Awaitable[None]], where: Hashable, owned: Callable[[], bool],
                      on_failure: Callable[[Exception, int], None]) -> bool:
        """Run ``send`` until it succeeds (True), or until ``owned()`` turns false after a failure (False)."""
        delay = self.first_retry_seconds
        attempt = 0
        try:
            while True:
                try:
                    await send()
                    return True
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    if too_large(exc):
                        raise OutputRefused(f"{type(exc).__name__}: {exc}") from exc
                    attempt += 1
                    self.waiting.add(where)
                    on_failure(exc, attempt)
                    if not owned():
                        return False
                    await asyncio.sleep(delay)
                    delay = min(2 * delay, self.max_retry_seconds)
        finally:
            self.waiting.discard(where)
