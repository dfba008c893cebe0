"""Builds the domain objects from settings and runs the worker: the glue between the CLI and the app.

The same builders serve the Faust worker and the offline commands (``extract``, ``replay``), so both
paths run the same extractor, vocabulary and ledger rules.
"""

from __future__ import annotations

import gc

from faust.worker import Worker as FaustWorker

from streams.app import create_app, ledger_settings
from streams.extraction import Extractor
from streams.extraction.vocabulary import load_hierarchy, load_taxonomy
from streams.hierarchy import Hierarchy
from streams.kafkaio import admin_client
from streams.ledger import Ledger, MemoryStore
from streams.pipeline import Extract
from streams.preflight import check_session_timeout, ensure_dir, require_free
from streams.settings import Settings
from streams.topics import create_topics


def build_extractor(settings: Settings) -> Extractor:
    """The extractor with our vocabulary and the user's gazetteer file, if one is set."""
    return Extractor.from_files(user_gazetteer=settings.gazetteer, max_body_chars=settings.max_body_chars,
                                max_sentence_chars=settings.max_sentence_chars)


def metric_kinds() -> dict[str, str]:
    """Each metric's kind (cumulative or stock), from the taxonomy data file."""
    return load_taxonomy().metric_kinds


def hierarchy(settings: Settings) -> Hierarchy:
    """Canonical populations and places from our vocabulary and the user's gazetteer file, if one is set."""
    return load_hierarchy(settings.gazetteer)


def offline_ledger(settings: Settings) -> Ledger:
    """A ledger over an in-memory store, for replay and evaluation."""
    return Ledger(MemoryStore(), metric_kinds(), ledger_settings(settings), hierarchy(settings))


def run_worker(settings: Settings, extract: Extract | None = None) -> int:
    """Check the settings the run depends on, create missing topics, and run the Faust worker until it is
    stopped (SIGTERM/SIGINT); ``extract`` replaces the extractor's (tests inject failures through it)."""
    extract = extract or build_extractor(settings).extract
    ensure_dir(settings.state_dir, "FIGUREWATCH_DATA_DIR")
    require_free(settings.web_host, settings.web_port, "FIGUREWATCH_WEB_PORT")
    with admin_client(settings) as admin:
        check_session_timeout(admin, settings)
    create_topics(settings)
    app = create_app(settings, extract, metric_kinds(), hierarchy=hierarchy(settings))
    worker = FaustWorker(app, loglevel=settings.log_level, quiet=True)
    # No terminal spinner: at a level of warning or above Faust installs one that sets the root logger to
    # DEBUG, so every debug call of Faust and aiokafka (several per message sent) would build a log record.
    worker.spinner = None
    # Everything imported and built so far lives as long as the process: moved out of the collector's
    # generations, it is not traversed again by every full collection, which stops the event loop.
    gc.freeze()
    worker.execute_from_commandline()
    return 0
