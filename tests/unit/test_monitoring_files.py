"""The Prometheus alert rules and the Grafana dashboard parse, hang together, and use only real metric names.

Every ``figurewatch_*`` name in an alert expression or a dashboard query must be one the worker or
``figurewatch serve`` exports
(listed below, as in docs/operations.md), so the deploy files cannot drift silently from the code.
``promtool`` checks of the same files are in tests/unit/test_alert_rules.py (integration: needs promtool).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = REPO / "deploy/prometheus"
GRAFANA_DIR = REPO / "deploy/grafana"
DASHBOARD = GRAFANA_DIR / "dashboards/figurewatch.json"

COUNTERS_AND_GAUGES = {
    "figurewatch_items_received_total",
    "figurewatch_items_accepted_total",
    "figurewatch_items_rejected_total",
    "figurewatch_items_duplicate_total",
    "figurewatch_items_forwarded_total",
    "figurewatch_dead_lettered_total",
    "figurewatch_dead_letters_truncated_total",
    "figurewatch_send_failures_total",
    "figurewatch_bounds_cut_total",
    "figurewatch_implausible_arrivals_total",
    "figurewatch_broker_reachable",
    "figurewatch_claims_extracted_total",
    "figurewatch_change_events_total",
    "figurewatch_contradictions_total",
    "figurewatch_consumer_lag",
    "figurewatch_last_progress_timestamp_seconds",
    "figurewatch_table_series",
    "figurewatch_table_history_entries",
    "figurewatch_recovery_remaining_records",
    "figurewatch_rebalances_total",
    "figurewatch_stalls_total",
    "figurewatch_worker_up",
    "figurewatch_worker_ready",
    "figurewatch_serve_requests_total",
    "figurewatch_serve_consumer_lag",
    "figurewatch_serve_sse_clients",
    "figurewatch_serve_series",
    "figurewatch_serve_changes_stored",
    "figurewatch_serve_records_read_total",
    "figurewatch_serve_records_skipped_total",
    "figurewatch_serve_ready",
}
HISTOGRAMS = {"figurewatch_extraction_seconds", "figurewatch_processing_seconds", "figurewatch_end_to_end_seconds",
              "figurewatch_serve_request_seconds"}
KNOWN_SERIES = COUNTERS_AND_GAUGES | {h + s for h in HISTOGRAMS for s in ("_bucket", "_sum", "_count")}
NAME = re.compile(r"\bfigurewatch_[a-z0-9_]+")
EXPECTED_ALERTS = {
    "FigurewatchWorkerDown",
    "FigurewatchNoProgress",
    "FigurewatchDeadLetterRate",
    "FigurewatchContradictionSpike",
    "FigurewatchRecoveryStuck",
    "FigurewatchBrokerUnreachable",
    "FigurewatchOutputsFailing",
}


def alert_rules() -> list[dict]:  # type: ignore[type-arg]
    doc = yaml.safe_load((PROMETHEUS_DIR / "alerts.yml").read_text())
    return [rule for group in doc["groups"] for rule in group["rules"]]


def dashboard() -> dict:  # type: ignore[type-arg]
    return json.loads(DASHBOARD.read_text())


def all_panels(panels: list[dict]) -> Iterator[dict]:  # type: ignore[type-arg]
    for panel in panels:
        yield panel
        yield from all_panels(panel.get("panels", []))


def dashboard_queries() -> list[str]:
    return [t["expr"] for p in all_panels(dashboard()["panels"]) for t in p.get("targets", [])]


def test_known_names_include_the_documented_metrics() -> None:
    documented = set(re.findall(r"`(figurewatch_[a-z0-9_]+)`", (REPO / "docs/operations.md").read_text()))
    assert documented <= COUNTERS_AND_GAUGES | HISTOGRAMS, documented - (COUNTERS_AND_GAUGES | HISTOGRAMS)


def test_prometheus_config_loads_the_alert_rules() -> None:
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    assert config["rule_files"] == ["alerts.yml"]
    for name in config["rule_files"]:
        assert (PROMETHEUS_DIR / name).is_file()
    tests = yaml.safe_load((PROMETHEUS_DIR / "alerts_test.yml").read_text())
    assert tests["rule_files"] == ["alerts.yml"]


def test_every_alert_has_for_severity_summary_and_description() -> None:
    rules = alert_rules()
    assert {rule["alert"] for rule in rules} == EXPECTED_ALERTS
    for rule in rules:
        assert re.fullmatch(r"\d+[smh]", rule["for"]), rule["alert"]
        assert rule["labels"]["severity"] in {"critical", "warning"}, rule["alert"]
        assert rule["annotations"]["summary"].strip(), rule["alert"]
        assert rule["annotations"]["description"].strip(), rule["alert"]


def test_every_alert_is_unit_tested_firing_and_quiet() -> None:
    tests = yaml.safe_load((PROMETHEUS_DIR / "alerts_test.yml").read_text())["tests"]
    firing: set[str] = set()
    quiet: set[str] = set()
    for case in tests:
        for check in case["alert_rule_test"]:
            (firing if check.get("exp_alerts") else quiet).add(check["alertname"])
    assert firing == EXPECTED_ALERTS
    assert quiet == EXPECTED_ALERTS


def test_alert_expressions_use_only_exported_metrics() -> None:
    for rule in alert_rules():
        names = set(NAME.findall(rule["expr"]))
        assert names, f"{rule['alert']} uses no figurewatch metric"
        assert names <= KNOWN_SERIES, f"{rule['alert']} uses unknown {names - KNOWN_SERIES}"


def test_dashboard_queries_use_only_exported_metrics() -> None:
    queries = dashboard_queries()
    assert queries
    for expr in queries:
        names = set(NAME.findall(expr))
        assert names <= KNOWN_SERIES, f"{expr!r} uses unknown {names - KNOWN_SERIES}"
        for name in names & {h + "_bucket" for h in HISTOGRAMS}:
            assert "histogram_quantile(" in expr and "le" in expr, f"{name} without histogram_quantile by le"


def test_dashboard_covers_the_operator_views() -> None:
    text = "\n".join(dashboard_queries())
    for name in [
        "figurewatch_items_received_total", "figurewatch_items_accepted_total", "figurewatch_items_rejected_total",
        "figurewatch_processing_seconds_bucket", "figurewatch_end_to_end_seconds_bucket",
        "figurewatch_consumer_lag", "figurewatch_contradictions_total", "figurewatch_table_series",
        "figurewatch_table_history_entries", "figurewatch_worker_up", "figurewatch_worker_ready",
        "figurewatch_dead_lettered_total", "figurewatch_broker_reachable",
    ]:
        assert name in text, f"no panel queries {name}"
    for q in ("0.5", "0.95", "0.99"):
        assert f"histogram_quantile({q}," in text
    assert "sum by (stage, reason)" in text
    assert "sum by (topic, partition)" in text
    assert "sum by (conflict)" in text


def test_dashboard_uses_the_provisioned_datasource() -> None:
    provisioned = yaml.safe_load((GRAFANA_DIR / "provisioning/datasources/prometheus.yml").read_text())
    (source,) = provisioned["datasources"]
    assert source["name"] == "Prometheus" and source["type"] == "prometheus"
    board = dashboard()
    assert board["uid"] and board["title"]
    ids = [p["id"] for p in all_panels(board["panels"])]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for panel in all_panels(board["panels"]):
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": source["uid"]}, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"] == panel["datasource"], panel["title"]


def test_dashboard_provider_points_at_the_mounted_folder() -> None:
    provider = yaml.safe_load((GRAFANA_DIR / "provisioning/dashboards/figurewatch.yml").read_text())
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    mounts = dict(v.split(":")[:2] for v in compose["services"]["grafana"]["volumes"])
    assert mounts["./deploy/grafana/dashboards"] == provider["providers"][0]["options"]["path"]
