"""Our Kafka topics in one place: names, partitions, retention, cleanup policy and keys, and their creation.

Keys are chosen so that everything one ledger rule reads lands in one partition: ``news.items`` is keyed by
item id (ingest de-duplicates per item); ``claims`` by the claim's *ledger key*, its conflict and metric
(:func:`ledger_key`, :func:`claim_address`); ``figures.*`` by series key, each on the partition of its
series' ledger key (:func:`series_partition`). The worker's ``series`` table follows the ``claims``
partition, so a worker holds every series of the (conflict, metric) pairs of its partitions, which is all
a rule reads (a series' own claims, the same metric's wholes and parts, and earlier days of one toll), and
the busiest conflict spreads over partitions by metric. Both the claims and the figures use the one
function :func:`ledger_partition`, so they cannot disagree.

Every topic we create, and the worker's changelog topics, get ``FIGUREWATCH_REPLICATION_FACTOR`` replicas
and the ``min.insync.replicas`` derived from it (:func:`replication_configs`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import InvalidReplicationFactorError, KafkaError, TopicAlreadyExistsError
from kafka.partitioner.default import murmur2

from streams._exceptions import BrokerError
from streams.claims import Claim
from streams.kafkaio import admin_client
from streams.ledger.series import key_part
from streams.settings import Settings

DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """One topic: its base name, retention and cleanup policy, and what its key is."""

    name: str
    cleanup_policy: str
    retention_ms: int
    key: str
    schema: str
    max_message_bytes: int | None = None
    """The topic's ``max.message.bytes``; None keeps the broker's (1,048,588 bytes by default)."""

    def config(self) -> dict[str, str]:
        config = {"cleanup.policy": self.cleanup_policy, "retention.ms": str(self.retention_ms)}
        if self.max_message_bytes is not None:
            config["max.message.bytes"] = str(self.max_message_bytes)
        return config


DLQ_RECORD_BYTES = 2 * 2**20
"""Dead-letter records are kept under this size: the base64 of any message the broker's default limit lets
onto news.items fits whole; a larger original is truncated (see :mod:`streams.deadletter`)."""
MAX_REQUEST_BYTES = DLQ_RECORD_BYTES + 64 * 2**10
"""The worker producer's request limit and the dead-letter topic's ``max.message.bytes``: a record of
:data:`DLQ_RECORD_BYTES` with its key and headers."""


NEWS_ITEMS = TopicSpec("news.items", "delete", 7 * DAY_MS, "item id", "news-item")
NEWS_ITEMS_DLQ = TopicSpec("news.items.dlq", "delete", 30 * DAY_MS, "item id if known, else none", "dlq-record",
                           MAX_REQUEST_BYTES)
CLAIMS = TopicSpec("claims", "delete", 30 * DAY_MS, "conflict|metric (the ledger key)", "claim")
FIGURES_CURRENT = TopicSpec("figures.current", "compact", -1, "series key (partitioned by conflict|metric)",
                            "figure-state")
FIGURES_CHANGES = TopicSpec("figures.changes", "delete", 90 * DAY_MS, "series key (partitioned by conflict|metric)",
                            "change-event")

ALL_TOPICS = (NEWS_ITEMS, NEWS_ITEMS_DLQ, CLAIMS, FIGURES_CURRENT, FIGURES_CHANGES)


def default_partition(key: str, partitions: int) -> int:
    """The partition Kafka's default partitioner gives the message key ``key`` (murmur2, as the Java,
    kafka-python and aiokafka producers compute it): stable across runs, machines and clients."""
    return (int(murmur2(key.encode())) & 0x7FFFFFFF) % partitions


def item_partition(item_id: str, partitions: int) -> int:
    """The partition of ``news.items`` an item lives on: that of its id as message key."""
    return default_partition(item_id, partitions)


def ledger_key(conflict: str, metric: str) -> str:
    """The key that partitions a claim and its series: ``conflict|metric``, the first two parts of the key of
    every series the claim can open or read (:func:`streams.ledger.series.key_of`)."""
    return f"{key_part(conflict)}|{key_part(metric)}"


def series_ledger_key(series_key: str) -> str:
    """The ledger key of a series, from its key: its first two parts, ``conflict|metric``."""
    return "|".join(series_key.split("|", 2)[:2])


def ledger_partition(key: str, partitions: int) -> int:
    """The partition of ``claims`` and of ``figures.*`` that a ledger key's claims and series live on: the one
    Kafka's default partitioner gives it, so a producer keying a claim by its ledger key lands there too."""
    return default_partition(key, partitions)


def claim_address(claim: Claim, partitions: int) -> tuple[bytes, int]:
    """The message key and partition of ``claim`` on ``claims``."""
    key = ledger_key(claim.conflict, claim.metric)
    return key.encode(), ledger_partition(key, partitions)


def series_partition(series_key: str, partitions: int) -> int:
    """The partition of ``figures.*`` a series' states and events go to: that of its claims."""
    return ledger_partition(series_ledger_key(series_key), partitions)


def min_insync_replicas(replication_factor: int) -> int:
    """The replicas that must have a write before it is acknowledged (with acks=all): a majority of a factor of
    3 or more, so a topic takes writes with one broker down and loses nothing acknowledged; 1 below that, where
    a majority would be every replica and one broker down would stop all writes."""
    return replication_factor // 2 + 1 if replication_factor >= 3 else 1


def replication_configs(settings: Settings) -> dict[str, str]:
    """The topic configs that follow from the replication factor, for every topic we or the worker create."""
    return {"min.insync.replicas": str(min_insync_replicas(settings.replication_factor))}


def create_topics(settings: Settings) -> list[str]:
    """Create any of our topics that do not exist yet; return the names created."""
    with admin_client(settings) as admin:
        return _create_missing(admin, settings)


def _create_missing(admin: KafkaAdminClient, settings: Settings) -> list[str]:
    try:
        existing = set(admin.list_topics())
        wanted = [
            NewTopic(settings.topic(spec.name), settings.partitions, settings.replication_factor,
                     topic_configs={**spec.config(), **replication_configs(settings)})
            for spec in ALL_TOPICS
            if settings.topic(spec.name) not in existing
        ]
        if wanted:
            # Another worker may create them between our list and our create.
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(wanted, wait_for_metadata=True)
        return [t.name for t in wanted]
    except InvalidReplicationFactorError as exc:
        raise BrokerError(f"FIGUREWATCH_REPLICATION_FACTOR is {settings.replication_factor}, more than the brokers "
                          f"of {settings.broker}: set it to their number or fewer") from exc
    except KafkaError as exc:
        raise BrokerError(f"cannot create topics on {settings.broker}: {exc}") from exc
