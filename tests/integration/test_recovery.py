"""Table recovery never hangs: a worker whose changelogs were truncated by retention still becomes ready."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType

from streams.demo import SAMPLE_CORPUS
from streams.kafkaio import produce_lines
from streams.metrics import drained, scrape
from tests.conftest import WorkerProcess
from tests.integration.support import corpus_lines

pytestmark = pytest.mark.integration


def truncate(bootstrap: str, topics: list[str]) -> int:
    """Delete every record of ``topics`` as retention would; return how many partitions were cut."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    partitions = [TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or [])]
    ends = consumer.end_offsets(partitions)
    consumer.close()
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        # Compacted changelogs accept record deletion once retention applies to them too.
        admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, t, configs={"cleanup.policy": "compact,delete"})
                             for t in topics])
        admin.delete_records({tp: end for tp, end in ends.items() if end > 0})
    finally:
        admin.close()
    return sum(1 for end in ends.values() if end > 0)


def test_recovery_from_truncated_changelogs_completes(start_worker: Callable[..., WorkerProcess]) -> None:
    first = start_worker()
    settings = first.settings
    lines = corpus_lines(SAMPLE_CORPUS)
    produce_lines(settings, settings.topic("news.items"), lines)
    deadline = time.monotonic() + 120
    while not drained(scrape(f"http://127.0.0.1:{first.web_port}/metrics"), len(lines)):
        assert time.monotonic() < deadline, first.log_tail()
        time.sleep(0.5)
    first.stop()
    changelogs = [f"{settings.app_id}-{table}-changelog" for table in ("item-versions", "series")]
    assert truncate(settings.broker, changelogs) > 0, "the changelogs had records to lose"

    second = start_worker()
    assert second.wait_http("/readyz", timeout=90) == b'{"status":"ready"}'
    assert second.wait_metric("figurewatch_worker_ready", 1, timeout=30) == 1
    assert second.metric("figurewatch_recovery_remaining_records") == 0
    assert second.alive()
