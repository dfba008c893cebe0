"""Claim extraction: the pure core that turns a news item into the figures it states.

``Extractor.from_files()`` builds an extractor over the shipped vocabulary (plus an optional user
gazetteer); ``Extractor.extract(item)`` returns the item's claims.
"""

from streams.extraction.extractor import MAX_BODY_CHARS, Extractor

__all__ = ["MAX_BODY_CHARS", "Extractor"]
