"""Progress watchdog: notices work that is pending but not moving, so the worker never stalls silently.

Pure: the worker feeds it, every few seconds, a progress marker and the pending amount for each thing it
watches (a source partition: its position and lag; table recovery: the records remaining). A key whose
marker has not moved for ``after_seconds`` while work is pending is reported as stalled, and reported again
each further ``after_seconds`` it stays so.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field


@dataclass
class Watchdog:
    """Stall detection over repeated observations."""

    after_seconds: float
    _seen: dict[Hashable, tuple[int, float]] = field(default_factory=dict)
    strikes: dict[Hashable, int] = field(default_factory=dict)

    @property
    def stalled(self) -> bool:
        """True while any watched key is stalled: from its first report until its marker moves again."""
        return bool(self.strikes)

    def observe(self, now: float, progress: Mapping[Hashable, tuple[int, int]]) -> list[Hashable]:
        """``progress`` maps a key to (marker, pending); returns the keys stalled now, in the given order."""
        stalled = []
        for key, (marker, pending) in progress.items():
            last = self._seen.get(key)
            if pending <= 0 or last is None or last[0] != marker:
                self._seen[key] = (marker, now)
                self.strikes.pop(key, None)
            elif now - last[1] >= self.after_seconds:
                stalled.append(key)
                self._seen[key] = (marker, now)
                self.strikes[key] = self.strikes.get(key, 0) + 1
        for key in [key for key in self._seen if key not in progress]:
            del self._seen[key]
            self.strikes.pop(key, None)
        return stalled
