"""Our Kafka topics in one place: names, partitions, retention, cleanup policy and keys, and their creation.

Keys are chosen so that everything about one conflict lands in one partition: ``news.items`` is keyed
by item id (ingest de-duplicates per item), ``claims`` by conflict, and ``figures.*`` by series key but
partitioned explicitly by conflict (:func:`partition_for`).
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from streams._exceptions import BrokerError
from streams.kafkaio import admin_client
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

    def config(self) -> dict[str, str]:
        return {"cleanup.policy": self.cleanup_policy, "retention.ms": str(self.retention_ms)}


NEWS_ITEMS = TopicSpec("news.items", "delete", 7 * DAY_MS, "item id", "news-item")
NEWS_ITEMS_DLQ = TopicSpec("news.items.dlq", "delete", 30 * DAY_MS, "item id if known, else none", "dlq-record")
CLAIMS = TopicSpec("claims", "delete", 30 * DAY_MS, "conflict", "claim")
FIGURES_CURRENT = TopicSpec("figures.current", "compact", -1, "series key (partitioned by conflict)", "figure-state")
FIGURES_CHANGES = TopicSpec("figures.changes", "delete", 90 * DAY_MS, "series key (partitioned by conflict)",
                            "change-event")

ALL_TOPICS = (NEWS_ITEMS, NEWS_ITEMS_DLQ, CLAIMS, FIGURES_CURRENT, FIGURES_CHANGES)


def partition_for(conflict: str, partitions: int) -> int:
    """The partition every message about ``conflict`` goes to (stable across runs and machines)."""
    digest = hashlib.sha256(conflict.encode()).digest()
    return int.from_bytes(digest[:4], "big") % partitions


def create_topics(settings: Settings) -> list[str]:
    """Create any of our topics that do not exist yet; return the names created."""
    with admin_client(settings) as admin:
        return _create_missing(admin, settings)


def _create_missing(admin: KafkaAdminClient, settings: Settings) -> list[str]:
    try:
        existing = set(admin.list_topics())
        wanted = [
            NewTopic(settings.topic(spec.name), settings.partitions, 1, topic_configs=spec.config())
            for spec in ALL_TOPICS
            if settings.topic(spec.name) not in existing
        ]
        if wanted:
            # Another worker may create them between our list and our create.
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(wanted, wait_for_metadata=True)
        return [t.name for t in wanted]
    except KafkaError as exc:
        raise BrokerError(f"cannot create topics on {settings.broker}: {exc}") from exc
