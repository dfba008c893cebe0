"""figurewatch: extract, normalize and tabulate the figures that news reports state about armed conflicts.

The public names below are the stable API; everything else is internal.
"""

from streams._exceptions import (
    BrokerError,
    ConfigError,
    DataFileError,
    FigurewatchError,
    InputError,
    ItemRejected,
    UsageError,
    WorkerError,
)
from streams.claims import Claim
from streams.items import NewsItem, parse_item
from streams.records import ChangeEvent, FigureState
from streams.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "BrokerError",
    "ChangeEvent",
    "Claim",
    "ConfigError",
    "DataFileError",
    "FigureState",
    "FigurewatchError",
    "InputError",
    "ItemRejected",
    "NewsItem",
    "Settings",
    "UsageError",
    "WorkerError",
    "__version__",
    "parse_item",
]
