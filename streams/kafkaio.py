"""Plain Kafka I/O for the CLI and tests (kafka-python): produce JSON Lines, read a topic to its end; and the
broker's own view of a consumer group's lag, which the worker samples for its gauge and its readiness.

Outside errors are translated here into :class:`~streams._exceptions.BrokerError`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import orjson
from aiokafka.conn import create_conn
from aiokafka.errors import AuthenticationFailedError, SaslAuthenticationFailed
from aiokafka.errors import KafkaError as AioKafkaError
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, OffsetSpec
from kafka.errors import KafkaError

from streams._exceptions import BrokerError, ConfigError
from streams.security import kafka_python_options
from streams.settings import Settings


@dataclass(frozen=True, slots=True)
class Message:
    """One record read from a topic."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None

    def json_value(self) -> object:
        """The value parsed as JSON, or None for a tombstone."""
        return None if self.value is None else orjson.loads(self.value)


LOGIN_TIMEOUT_SECONDS = 10.0
"""How long :func:`check_login` waits for one broker to answer."""


def check_login(settings: Settings) -> None:
    """With a SASL security protocol, log in to the first bootstrap server that answers and raise a ConfigError
    naming the credentials' settings if it refuses them. The Kafka clients retry a refused login with back-off
    until their timeout and then report only that they could not bootstrap; this says why, in a second.
    A broker that cannot be reached is left to the client that follows, which says so."""
    if settings.security_protocol.startswith("SASL"):
        asyncio.run(_check_login(settings))


async def _check_login(settings: Settings) -> None:
    options = kafka_python_options(settings)
    for server in settings.bootstrap_servers:
        host, _, port = server.rpartition(":") if ":" in server else (server, "", "9092")
        try:
            conn = await asyncio.wait_for(
                create_conn(host, int(port), request_timeout_ms=int(LOGIN_TIMEOUT_SECONDS * 1000), **options),
                LOGIN_TIMEOUT_SECONDS,
            )
        except (SaslAuthenticationFailed, AuthenticationFailedError) as exc:
            password = "FIGUREWATCH_SASL_PASSWORD_FILE" if settings.sasl_password_file else "FIGUREWATCH_SASL_PASSWORD"
            raise ConfigError(
                f"Kafka at {server} refused the SASL login of FIGUREWATCH_SASL_USERNAME={settings.sasl_username} "
                f"with the password of {password}: {exc}"
            ) from exc
        except (OSError, TimeoutError, AioKafkaError):
            continue
        conn.close()
        return


@contextmanager
def admin_client(settings: Settings, client_id: str = "figurewatch-admin") -> Iterator[KafkaAdminClient]:
    """An admin client of the configured brokers, closed on exit; failing to connect is a BrokerError."""
    check_login(settings)
    try:
        admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, client_id=client_id,
                                 **kafka_python_options(settings))
    except (KafkaError, OSError) as exc:
        raise BrokerError(f"cannot reach Kafka at {settings.broker}: {exc}") from exc
    try:
        yield admin
    finally:
        admin.close()


def item_key(line: bytes) -> bytes | None:
    """The key of a raw news-item line: its ``id`` when the line is a JSON object with one."""
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    item_id = data.get("id") if isinstance(data, dict) else None
    return item_id.encode() if isinstance(item_id, str) else None


def produce_lines(
    settings: Settings, topic: str, lines: Iterable[bytes], on_sent: Callable[[int], None] | None = None
) -> int:
    """Send each line as one message keyed by :func:`item_key`; return how many were acknowledged."""
    return produce_records(settings, topic, ((item_key(line), line, None) for line in lines), on_sent)


def produce_records(
    settings: Settings, topic: str, records: Iterable[tuple[bytes | None, bytes | None, int | None]],
    on_sent: Callable[[int], None] | None = None,
) -> int:
    """Send each (key, value, partition) record (a None value is a tombstone, a None partition is the
    producer's choice by key); return how many were acknowledged."""
    check_login(settings)
    try:
        producer = KafkaProducer(
            bootstrap_servers=settings.bootstrap_servers, acks="all", linger_ms=5, max_request_size=16 * 2**20,
            **kafka_python_options(settings),
        )
    except (KafkaError, OSError) as exc:
        raise BrokerError(f"cannot reach Kafka at {settings.broker}: {exc}") from exc
    sent = 0
    try:
        futures = [producer.send(topic, key=key, value=value, partition=partition)
                   for key, value, partition in records]
        for future in futures:
            future.get(timeout=60)
            sent += 1
            if on_sent:
                on_sent(sent)
        producer.flush()
    except KafkaError as exc:
        raise BrokerError(f"producing to {topic} failed after {sent} messages: {exc}") from exc
    finally:
        producer.close()
    return sent


def topic_partitions(settings: Settings, topics: Iterable[str]) -> dict[str, set[int]]:
    """The partitions of each topic that exists (an empty set for one that does not, yet)."""
    try:
        consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers, group_id=None,
                                 **kafka_python_options(settings))
    except (KafkaError, OSError) as exc:
        raise BrokerError(f"cannot reach Kafka at {settings.broker}: {exc}") from exc
    try:
        return {topic: set(consumer.partitions_for_topic(topic) or ()) for topic in topics}
    except KafkaError as exc:
        raise BrokerError(f"cannot read the metadata of {', '.join(topics)}: {exc}") from exc
    finally:
        consumer.close()


def read_topic(settings: Settings, topic: str, *, idle_timeout: float = 2.0, follow: bool = False) -> Iterator[Message]:
    """Every message of ``topic`` from the beginning, partition by partition in offset order.

    Stops at the end offsets seen at the start unless ``follow``; then stops after ``idle_timeout``
    seconds without a new message.
    """
    check_login(settings)
    try:
        consumer = KafkaConsumer(
            bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False, group_id=None,
            auto_offset_reset="earliest", consumer_timeout_ms=int(idle_timeout * 1000),
            **kafka_python_options(settings),
        )
    except (KafkaError, OSError) as exc:
        raise BrokerError(f"cannot reach Kafka at {settings.broker}: {exc}") from exc
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise BrokerError(f"topic {topic} does not exist on {settings.broker}")
        assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        end = consumer.end_offsets(assigned)
        remaining = {tp for tp in assigned if end[tp] > 0}
        deadline = time.monotonic() + 60
        while follow or remaining:
            batch = consumer.poll(timeout_ms=int(idle_timeout * 1000))
            if not batch:
                if follow or time.monotonic() > deadline:
                    break
                continue
            for tp, records in sorted(batch.items()):
                for r in records:
                    yield Message(r.topic, r.partition, r.offset, r.key, r.value)
                    if not follow and r.offset + 1 >= end[tp]:
                        remaining.discard(tp)
    except KafkaError as exc:
        raise BrokerError(f"reading {topic} failed: {exc}") from exc
    finally:
        consumer.close()


def truncate_topic(settings: Settings, topic: str) -> int:
    """Delete every record ``topic`` holds now (its partitions start at their current end); return how many."""
    with admin_client(settings) as admin:
        try:
            consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers, group_id=None,
                                     **kafka_python_options(settings))
        except (KafkaError, OSError) as exc:
            raise BrokerError(f"cannot reach Kafka at {settings.broker}: {exc}") from exc
        try:
            partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
            if not partitions:
                raise BrokerError(f"topic {topic} does not exist on {settings.broker}")
            start, end = consumer.beginning_offsets(partitions), consumer.end_offsets(partitions)
            ahead = {tp: end[tp] for tp in partitions if end[tp] > start[tp]}
            if ahead:
                admin.delete_records(ahead)
            return sum(end[tp] - start[tp] for tp in ahead)
        except KafkaError as exc:
            raise BrokerError(f"cannot truncate {topic}: {exc}") from exc
        finally:
            consumer.close()


def empty_compacted_topic(settings: Settings, topic: str, *, timeout: float = 30.0) -> int:
    """Delete every record a compacted ``topic`` holds now; return how many. Kafka deletes records only of a topic
    whose cleanup policy includes ``delete``, so the policy is ``compact,delete`` meanwhile and ``compact`` again
    after, whatever happens (retention.ms -1 keeps the added policy from deleting anything by age)."""
    with admin_client(settings) as admin:
        _cleanup_policy(admin, topic, "compact,delete")
        try:
            deadline = time.monotonic() + timeout
            while True:  # the brokers apply a config change a moment after acknowledging it
                try:
                    return truncate_topic(settings, topic)
                except BrokerError as exc:
                    # one partition's PolicyViolationError, or several named in a BrokerResponseError
                    if "PolicyViolation" not in str(exc.__cause__) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)
        finally:
            _cleanup_policy(admin, topic, "compact")


def _cleanup_policy(admin: KafkaAdminClient, topic: str, policy: str) -> None:
    resource = ConfigResource(ConfigResourceType.TOPIC, topic, {"cleanup.policy": policy})
    try:
        result = admin.alter_configs([resource], incremental=True)
    except KafkaError as exc:
        raise BrokerError(f"cannot set the cleanup policy of {topic}: {exc}") from exc
    outcome = result.get("topic", {}).get(topic)
    if outcome != "OK":
        raise BrokerError(f"cannot set the cleanup policy of {topic}: {outcome}")


class GroupLag:
    """The broker's figures for one consumer group: committed offset and high watermark per partition.

    Blocking (run it in a thread); one admin connection kept between calls and dropped after a failure.
    """

    def __init__(self, settings: Settings, timeout: float) -> None:
        self._settings = settings
        self._timeout_ms = int(timeout * 1000)
        self._admin: KafkaAdminClient | None = None

    def offsets(self, group: str, partitions: Iterable[tuple[str, int]]) -> dict[tuple[str, int], tuple[int, int]]:
        """(committed, high watermark) for each partition; committed is 0 where the group has none yet.
        Raises :class:`BrokerError` when the broker does not answer in time."""
        tps = [TopicPartition(topic, partition) for topic, partition in partitions]
        try:
            if self._admin is None:
                self._admin = KafkaAdminClient(
                    bootstrap_servers=self._settings.bootstrap_servers, client_id="figurewatch-lag",
                    request_timeout_ms=self._timeout_ms, **kafka_python_options(self._settings),
                )
            if not tps:  # nothing assigned: still ask the broker something, so an outage shows
                self._admin.describe_cluster()
                return {}
            committed = self._admin.list_group_offsets({group: tps}).get(group, {})
            ends = self._admin.list_partition_offsets({tp: OffsetSpec.LATEST for tp in tps},
                                                      timeout_ms=self._timeout_ms)
        except (KafkaError, OSError) as exc:
            self.close()
            raise BrokerError(f"the broker did not answer a lag query: {exc}") from exc
        result = {}
        for tp in tps:
            meta = committed.get(tp)
            result[(tp.topic, tp.partition)] = (max(0, meta.offset if meta is not None else 0), ends[tp].offset)
        return result

    def close(self) -> None:
        if self._admin is not None:
            admin, self._admin = self._admin, None
            with contextlib.suppress(KafkaError, OSError):
                admin.close()
