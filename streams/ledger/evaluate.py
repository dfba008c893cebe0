"""Score the ledger's change events against the labeled scenarios in ``corpus/scenarios/ledger.jsonl``.

Each scenario is a short sequence of news items, in arrival order, with the change events it should
raise (``{"item_id", "metric", "kind"}``). The default mode runs the items through the real extractor;
``--claims`` feeds the scenario's labeled claims instead, so the ledger is judged on its own. Prints
precision and recall per event kind and the contradictions raised by hedged wording that should not
have been; exits 1 when the contradiction targets are missed.

    figurewatch evaluate ledger [--claims] [--verbose] [--scenarios FILE]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from streams._exceptions import DataFileError
from streams.claims import Claim
from streams.hierarchy import Hierarchy
from streams.items import NewsItem
from streams.ledger.events import EVENT_KINDS
from streams.ledger.ledger import Ledger, LedgerSettings
from streams.ledger.store.memory import MemoryStore
from streams.usage import ArgumentParser

SCENARIOS_FILE = Path(__file__).resolve().parents[2] / "corpus" / "scenarios" / "ledger.jsonl"
TARGET_PRECISION = 0.95
TARGET_RECALL = 0.90

Extract = Callable[[NewsItem], list[Claim]]
Label = tuple[str, str, str]  # item id, metric, event kind


@dataclass(frozen=True, slots=True)
class Score:
    """Events per kind: expected, raised, and matched on (item id, metric, kind)."""

    expected: Counter[str]
    raised: Counter[str]
    matched: Counter[str]
    hedged_false_contradictions: int
    misses: tuple[str, ...] = ()

    def precision(self, kind: str) -> float:
        return self.matched[kind] / self.raised[kind] if self.raised[kind] else 1.0

    def recall(self, kind: str) -> float:
        return self.matched[kind] / self.expected[kind] if self.expected[kind] else 1.0

    @property
    def meets_targets(self) -> bool:
        return (self.precision("contradiction") >= TARGET_PRECISION
                and self.recall("contradiction") >= TARGET_RECALL
                and self.hedged_false_contradictions == 0)


def load_scenarios(path: Path = SCENARIOS_FILE) -> list[dict[str, Any]]:
    """The scenarios of a JSON Lines file (blank lines are skipped)."""
    try:
        lines = path.read_bytes().splitlines()
        return [orjson.loads(line) for line in lines if line.strip()]
    except (OSError, orjson.JSONDecodeError) as exc:
        raise DataFileError(f"cannot read scenarios from {path}: {exc}") from exc


def labeled_claims(scenario: Mapping[str, Any]) -> Extract:
    """An extract function that returns the scenario's labeled claims for each of its items."""
    specs = {entry["item"]["id"]: entry["claims"] for entry in scenario["items"]}

    def extract(item: NewsItem) -> list[Claim]:
        return [claim_from_spec(item, spec, index, scenario) for index, spec in enumerate(specs[item.id])]

    return extract


def claim_from_spec(item: NewsItem, spec: Mapping[str, Any], index: int,
                    scenario: Mapping[str, Any]) -> Claim:
    """A full claim from a labeled spec: unset fields come from the item and the scenario's defaults."""
    basis = spec.get("basis", "total")
    value = spec["value"]
    return Claim(
        claim_id=f"{item.id}#{index}",
        item_id=item.id,
        outlet=item.outlet,
        url=item.url,
        published_at=item.published_at,
        sentence=spec.get("sentence", item.body),
        span=(0, len(item.body)),
        conflict=spec.get("conflict", scenario["conflict"]),
        metric=spec["metric"],
        group=spec.get("group"),
        place=spec.get("place"),
        value=value,
        low=spec.get("low", value),
        high=spec.get("high", value),
        qualifier=spec.get("qualifier", "exact"),
        modality=spec.get("modality", "reported"),
        basis=basis,
        attributed_to=spec.get("attributed_to"),
        as_of=spec.get("as_of", item.published_date),
        since=spec.get("since", scenario["since"] if basis == "total" else None),
        revision=spec.get("revision", False),
    )


def run_scenario(scenario: Mapping[str, Any], extract: Extract, metric_kinds: Mapping[str, str],
                 settings: LedgerSettings | None = None, hierarchy: Hierarchy | None = None) -> list[Label]:
    """The (item id, metric, kind) of every event a fresh ledger raises over the scenario's items."""
    ledger = Ledger(MemoryStore(), metric_kinds, settings, hierarchy)
    raised: list[Label] = []
    for entry in scenario["items"]:
        item = NewsItem.from_dict(entry["item"])
        for claim in extract(item):
            event = ledger.apply(claim).event
            if event is not None:
                raised.append((item.id, claim.metric, event["kind"]))
    return raised


def score(scenarios: Sequence[Mapping[str, Any]], extract_for: Callable[[Mapping[str, Any]], Extract],
          metric_kinds: Mapping[str, str], hierarchy: Hierarchy | None = None) -> Score:
    """Match raised events against expected ones, scenario by scenario, as multisets."""
    expected: Counter[str] = Counter()
    raised: Counter[str] = Counter()
    matched: Counter[str] = Counter()
    hedged_false = 0
    misses: list[str] = []
    for scenario in scenarios:
        want = Counter((e["item_id"], e["metric"], e["kind"]) for e in scenario["expected"])
        got = Counter(run_scenario(scenario, extract_for(scenario), metric_kinds, hierarchy=hierarchy))
        for label, count in want.items():
            expected[label[2]] += count
        for label, count in got.items():
            raised[label[2]] += count
        for label, count in (want & got).items():
            matched[label[2]] += count
        if "hedged" in scenario.get("tags", ()):
            hedged_false += sum(n for label, n in (got - want).items() if label[2] == "contradiction")
        if want != got:
            missing, unexpected = _labels(want - got), _labels(got - want)
            misses.append(f"{scenario['id']}: missing {missing}; unexpected {unexpected}")
    return Score(expected, raised, matched, hedged_false, tuple(misses))


def _labels(labels: Counter[Label]) -> str:
    return ", ".join(f"{item} {metric} {kind}" for (item, metric, kind) in sorted(labels.elements())) or "-"


def report(result: Score, mode: str, scenario_count: int, verbose: bool = False) -> str:
    """The score as a text table; ``verbose`` lists each scenario whose events differ from the labels."""
    lines = [f"ledger scenarios ({mode}): {scenario_count} scenarios",
             f"{'kind':<14}{'expected':>9}{'raised':>8}{'matched':>9}{'precision':>11}{'recall':>8}"]
    for kind in EVENT_KINDS:
        lines.append(f"{kind:<14}{result.expected[kind]:>9}{result.raised[kind]:>8}{result.matched[kind]:>9}"
                     f"{result.precision(kind):>11.3f}{result.recall(kind):>8.3f}")
    lines.append(f"false contradictions in hedged scenarios: {result.hedged_false_contradictions}")
    verdict = "met" if result.meets_targets else "MISSED"
    lines.append(f"contradiction targets (precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL}, "
                 f"no hedged false contradiction): {verdict}")
    if verbose:
        lines.extend(result.misses)
    return "\n".join(lines)


def metric_kinds_from_taxonomy() -> dict[str, str]:
    """Each metric's kind (cumulative or stock) from the shipped taxonomy."""
    from streams.extraction.vocabulary import load_taxonomy  # noqa: PLC0415 - only the CLI needs it

    return load_taxonomy().metric_kinds


def shipped_hierarchy() -> Hierarchy:
    """Canonical populations and places from the shipped vocabulary."""
    from streams.extraction.vocabulary import load_hierarchy  # noqa: PLC0415 - only the CLI needs it

    return load_hierarchy()


def real_extractor() -> Extract:
    """The production extractor's extract function."""
    from streams.extraction import Extractor  # noqa: PLC0415 - only the extraction mode needs it

    return Extractor.from_files().extract


def main(argv: Sequence[str] | None = None) -> int:
    parser = ArgumentParser(prog="figurewatch evaluate ledger",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--claims", action="store_true",
                        help="feed the labeled claims instead of extracting them from the items")
    parser.add_argument("--scenarios", type=Path, default=SCENARIOS_FILE, help="scenario JSON Lines file")
    parser.add_argument("--verbose", "-v", action="store_true", help="list the scenarios that went wrong")
    args = parser.parse_args(argv)
    scenarios = load_scenarios(args.scenarios)
    kinds = metric_kinds_from_taxonomy()
    hierarchy = shipped_hierarchy()
    if args.claims:
        result = score(scenarios, labeled_claims, kinds, hierarchy)
    else:
        extract = real_extractor()
        result = score(scenarios, lambda _: extract, kinds, hierarchy)
    print(report(result, "labeled claims" if args.claims else "real extractor", len(scenarios), args.verbose))
    return 0 if result.meets_targets else 1


if __name__ == "__main__":
    raise SystemExit(main())
