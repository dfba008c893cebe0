"""The retry policy of output sends: retried until acknowledged, given up only with the partition, and a
record too large for the broker refused at once (the agent dead-letters the message instead)."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka.errors import KafkaTimeoutError, MessageSizeTooLargeError
from faust.exceptions import ProducerSendError

from streams._exceptions import OutputRefused
from streams.delivery import Delivery, too_large

pytestmark = pytest.mark.unit


class FlakySend:
    """A send that fails ``failures`` times with ``error``, then succeeds; records what the delivery saw."""

    def __init__(self, delivery: Delivery, failures: int, error: Exception) -> None:
        self.delivery, self.failures, self.error = delivery, failures, error
        self.calls = 0
        self.waiting_seen: list[bool] = []

    async def __call__(self) -> None:
        self.calls += 1
        self.waiting_seen.append(("news", 0) in self.delivery.waiting)
        if self.calls <= self.failures:
            raise self.error


def test_a_failing_send_is_retried_until_acknowledged_and_waits_meanwhile() -> None:
    delivery = Delivery(first_retry_seconds=0.001, max_retry_seconds=0.004)
    send = FlakySend(delivery, 3, KafkaTimeoutError("no broker"))
    failures: list[int] = []
    done = asyncio.run(delivery.deliver(send, ("news", 0), lambda: True, lambda exc, n: failures.append(n)))
    assert done and send.calls == 4 and failures == [1, 2, 3]
    assert send.waiting_seen == [False, True, True, True], "the partition waits from the first failure on"
    assert delivery.waiting == set(), "and no longer once acknowledged"


def test_a_send_is_given_up_only_when_the_partition_is_lost() -> None:
    delivery = Delivery(first_retry_seconds=0.001)
    send = FlakySend(delivery, 100, KafkaTimeoutError("no broker"))
    owned = iter([True, True, False])
    done = asyncio.run(delivery.deliver(send, ("news", 0), lambda: next(owned), lambda exc, n: None))
    assert not done and send.calls == 3 and delivery.waiting == set()


def test_a_record_too_large_is_refused_at_once() -> None:
    delivery = Delivery()
    wrapped = ProducerSendError("Error while sending")
    wrapped.__cause__ = MessageSizeTooLargeError("1013689 bytes")
    assert too_large(wrapped) and not too_large(KafkaTimeoutError())
    send = FlakySend(delivery, 1, wrapped)
    with pytest.raises(OutputRefused, match="ProducerSendError"):
        asyncio.run(delivery.deliver(send, ("news", 0), lambda: True, lambda exc, n: None))
    assert send.calls == 1 and delivery.waiting == set()
