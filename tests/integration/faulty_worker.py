"""A worker whose extraction raises on items that carry :data:`FAIL_MARKER`: a failure injected in the ingest
stage. Run as ``python -m tests.integration.faulty_worker worker`` with the usual ``FIGUREWATCH_*`` settings."""

from __future__ import annotations

import os
import sys

from streams.claims import Claim
from streams.items import NewsItem
from streams.runtime import build_extractor, run_worker
from streams.settings import Settings

FAIL_MARKER = "@@injected-failure@@"


def main() -> int:
    settings = Settings.from_env(os.environ)
    extractor = build_extractor(settings)

    def extract(item: NewsItem) -> list[Claim]:
        if FAIL_MARKER in item.body:
            raise RuntimeError("injected failure in extraction")
        return extractor.extract(item)

    return run_worker(settings, extract)


if __name__ == "__main__":
    sys.exit(main())
