"""Hand-made claims for the ledger tests: one israel-hamas killed total, overridable field by field."""

from __future__ import annotations

from typing import Any

from streams.claims import Claim

KINDS = {"killed": "cumulative", "injured": "cumulative", "displaced": "stock", "hostages_held": "stock"}

_BASE: dict[str, Any] = {
    "claim_id": "c1",
    "item_id": "i1",
    "outlet": "Reuters",
    "url": None,
    "published_at": "2025-01-14T10:00:00Z",
    "sentence": "The Gaza health ministry said 46,645 people have been killed.",
    "span": (0, 10),
    "conflict": "israel-hamas",
    "metric": "killed",
    "group": None,
    "place": None,
    "value": 46645.0,
    "low": 46645.0,
    "high": 46645.0,
    "qualifier": "exact",
    "modality": "reported",
    "basis": "total",
    "attributed_to": "Gaza health ministry",
    "as_of": "2025-01-14",
    "since": "2023-10-07",
    "revision": False,
}


def claim(claim_id: str, **fields: Any) -> Claim:
    """A claim with ``claim_id`` and the given overrides; ``value`` alone sets an exact interval."""
    data = {**_BASE, "claim_id": claim_id, "item_id": f"item-{claim_id}", **fields}
    if "value" in fields and "low" not in fields:
        data["low"] = data["high"] = fields["value"]
    return Claim(**data)
