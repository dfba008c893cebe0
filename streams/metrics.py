"""The worker's and ``figurewatch serve``'s Prometheus metrics, each in a registry of its own (no
module-level collectors).

Names live under ``figurewatch_``; time is in seconds; counters end in ``_total``; no label ever
carries a per-item value, so cardinality stays bounded by conflicts x metrics x reasons.
"""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class _Registered:
    """Collectors in a registry of their own."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format."""
        return generate_latest(self.registry)


@dataclass
class Metrics(_Registered):
    """Every collector the worker updates."""

    def __post_init__(self) -> None:
        r = self.registry
        self.items_received = Counter("figurewatch_items_received", "Messages read from news.items.", registry=r)
        self.items_accepted = Counter(
            "figurewatch_items_accepted", "News items that passed validation and were processed.", registry=r
        )
        self.items_rejected = Counter(
            "figurewatch_items_rejected", "Messages sent to the dead-letter topic, by reason.", ["reason"],
            registry=r,
        )
        self.items_forwarded = Counter(
            "figurewatch_items_forwarded",
            "Valid items read under a key other than their id or off their id's partition, forwarded there.",
            registry=r,
        )
        self.dead_lettered = Counter(
            "figurewatch_dead_lettered",
            "Records the dead-letter topic acknowledged, by stage (ingest, ledger) and reason.",
            ["stage", "reason"], registry=r,
        )
        self.dead_letters_truncated = Counter(
            "figurewatch_dead_letters_truncated",
            "Dead-letter records that hold only the first bytes of an original too large to fit.", registry=r,
        )
        self.send_failures = Counter(
            "figurewatch_send_failures",
            "Output sends that failed and were retried (the message waits; its offset is not committed).",
            ["agent"], registry=r,
        )
        self.bounds_cut = Counter(
            "figurewatch_bounds_cut",
            "Items a bound cut short, by bound (claims_per_item, body_chars, sentence_chars).", ["bound"],
            registry=r,
        )
        self.implausible_arrivals = Counter(
            "figurewatch_implausible_arrivals",
            "Change events whose arrival time was implausible (over 7 days old or in the future), left out "
            "of figurewatch_end_to_end_seconds.", registry=r,
        )
        self.items_duplicate = Counter(
            "figurewatch_items_duplicate", "Exact repeats of an already-seen item, skipped.", registry=r
        )
        self.claims_extracted = Counter(
            "figurewatch_claims_extracted", "Claims extracted, by conflict and metric.", ["conflict", "metric"],
            registry=r,
        )
        self.change_events = Counter(
            "figurewatch_change_events", "Change events emitted, by kind and conflict.", ["kind", "conflict"],
            registry=r,
        )
        self.contradictions = Counter(
            "figurewatch_contradictions", "Contradictions found, by conflict and metric.", ["conflict", "metric"],
            registry=r,
        )
        self.extraction_seconds = Histogram(
            "figurewatch_extraction_seconds", "Time to extract the claims of one item.", buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.processing_seconds = Histogram(
            "figurewatch_processing_seconds", "Time to process one message, by agent.", ["agent"],
            buckets=LATENCY_BUCKETS, registry=r,
        )

        self.end_to_end_seconds = Histogram(
            "figurewatch_end_to_end_seconds",
            "From a message's arrival on news.items to its change event being produced.",
            buckets=LATENCY_BUCKETS, registry=r,
        )
        self.consumer_lag = Gauge(
            "figurewatch_consumer_lag",
            "High watermark minus the group's committed offset, from the broker, per assigned source partition.",
            ["topic", "partition"], registry=r,
        )
        self.last_progress = Gauge(
            "figurewatch_last_progress_timestamp_seconds", "Unix time an agent last finished a message.",
            ["agent"], registry=r,
        )
        self.table_series = Gauge("figurewatch_table_series", "Figure series held by this worker.", registry=r)
        self.table_history = Gauge(
            "figurewatch_table_history_entries", "Claims kept in the histories of those series.", registry=r
        )
        self.recovery_remaining = Gauge(
            "figurewatch_recovery_remaining_records", "Changelog records left to recover before processing.",
            registry=r,
        )
        self.stalls = Counter(
            "figurewatch_stalls", "Times an assigned partition had lag but made no progress and was resumed.",
            ["topic", "partition"], registry=r,
        )
        self.rebalances = Counter("figurewatch_rebalances", "Partition assignments received.", registry=r)
        self.worker_up = Gauge("figurewatch_worker_up", "1 while the worker process serves metrics.", registry=r)
        self.worker_ready = Gauge(
            "figurewatch_worker_ready",
            "1 when the broker answers, tables are recovered, no rebalance is running, no assigned partition is "
            "stalled and no output waits on a failed send.", registry=r,
        )
        self.broker_reachable = Gauge(
            "figurewatch_broker_reachable", "1 when the broker answered the last lag query.", registry=r
        )
        self.worker_up.set(1)


@dataclass
class ServeMetrics(_Registered):
    """Every collector ``figurewatch serve`` updates: its requests, its consumer and its live clients.

    ``route`` is the route's pattern (``/api/series/{key}``), never the requested path, so a client
    cannot grow the label set; a path that matches no route counts as ``unmatched``.
    """

    def __post_init__(self) -> None:
        r = self.registry
        self.requests = Counter(
            "figurewatch_serve_requests", "HTTP requests answered, by route and status.", ["route", "status"],
            registry=r,
        )
        self.request_seconds = Histogram(
            "figurewatch_serve_request_seconds", "Time to answer one HTTP request (every route but the live stream).",
            ["route"], buckets=LATENCY_BUCKETS, registry=r,
        )
        self.consumer_lag = Gauge(
            "figurewatch_serve_consumer_lag", "Messages of figures.current and figures.changes not yet read.",
            ["topic", "partition"], registry=r,
        )
        self.sse_clients = Gauge("figurewatch_serve_sse_clients", "Clients connected to /api/changes/stream.",
                                 registry=r)
        self.series = Gauge("figurewatch_serve_series", "Figure series held in the read model.", registry=r)
        self.changes_stored = Gauge("figurewatch_serve_changes_stored", "Change events in the read model's database.",
                                    registry=r)
        self.records_read = Counter(
            "figurewatch_serve_records_read", "Records of the figures topics read since this process started.",
            registry=r,
        )
        self.records_skipped = Counter(
            "figurewatch_serve_records_skipped", "Records of the figures topics that were malformed and passed over.",
            registry=r,
        )
        self.ready = Gauge("figurewatch_serve_ready", "1 once the read model has caught up with the topics.",
                           registry=r)


def scrape(url: str, timeout: float = 2.0) -> dict[str, float] | None:
    """Samples from a ``/metrics`` page as {'name{labels}': value}; None when it does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - an operator-given URL
            text = response.read().decode()
    except OSError:
        return None
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


def total(samples: dict[str, float], name: str) -> float:
    """The sum of a metric over all its label sets."""
    return sum(v for k, v in samples.items() if k == name or k.startswith(name + "{"))


def drained(samples: dict[str, float] | None, sent: int) -> bool:
    """True when the ingest agent has finished ``sent`` messages and the ledger has applied every claim extracted
    (items are counted as received when their batch is taken, before their claims are counted)."""
    if not samples or samples.get('figurewatch_processing_seconds_count{agent="ingest"}', 0) < sent:
        return False
    ledger = samples.get('figurewatch_processing_seconds_count{agent="ledger"}', 0)
    return ledger >= total(samples, "figurewatch_claims_extracted_total")
