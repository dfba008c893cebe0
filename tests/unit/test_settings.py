"""Settings: every variable is read from one place, typos are caught, bad values fail loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams._exceptions import ConfigError
from streams.settings import Settings

pytestmark = pytest.mark.unit


def test_defaults_bind_to_loopback_and_use_rocksdb() -> None:
    s = Settings.from_env({})
    assert s.web_host == "127.0.0.1"
    assert s.broker == "127.0.0.1:9092"
    assert s.store == "rocksdb://"
    assert s.processing_guarantee == "at_least_once"


def test_environment_is_converted_to_types() -> None:
    s = Settings.from_env({
        "FIGUREWATCH_PARTITIONS": "8", "FIGUREWATCH_GAZETTEER": "/tmp/g.json",
        "FIGUREWATCH_KAFKA_START_TIMEOUT": "2.5", "FIGUREWATCH_BROKER": "a:1, b:2", "PATH": "/bin",
    })
    assert s.partitions == 8
    assert s.gazetteer == Path("/tmp/g.json")
    assert s.kafka_start_timeout == 2.5
    assert s.bootstrap_servers == ["a:1", "b:2"]


@pytest.mark.parametrize(
    "env",
    [
        {"FIGUREWATCH_PARTITONS": "4"},
        {"FIGUREWATCH_PARTITIONS": "four"},
        {"FIGUREWATCH_PARTITIONS": "0"},
        {"FIGUREWATCH_REPLICATION_FACTOR": "0"},
        {"FIGUREWATCH_STORE": "redis://"},
        {"FIGUREWATCH_PROCESSING_GUARANTEE": "at_most_once"},
    ],
)
def test_bad_settings_are_errors(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        Settings.from_env(env)


def test_every_setting_is_documented_in_the_module_table() -> None:
    import dataclasses

    import streams.settings as module

    doc = module.__doc__ or ""
    for f in dataclasses.fields(Settings):
        assert f"FIGUREWATCH_{f.name.upper()} " in doc, f.name


def test_cli_overrides_keep_unset_flags() -> None:
    s = Settings.from_env({"FIGUREWATCH_BROKER": "x:1"}).replace(broker=None, partitions=3)
    assert (s.broker, s.partitions) == ("x:1", 3)
    assert s.topic("claims") == "claims"
    assert s.replace(topic_prefix="t.").topic("claims") == "t.claims"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"FIGUREWATCH_WEB_PORT": "70000"}, "FIGUREWATCH_WEB_PORT"),
        ({"FIGUREWATCH_KAFKA_PORT": "99999"}, "FIGUREWATCH_KAFKA_PORT"),
        ({"FIGUREWATCH_KAFKA_SASL_PORT": "-1"}, "FIGUREWATCH_KAFKA_SASL_PORT"),
        ({"FIGUREWATCH_BROKER": ""}, "FIGUREWATCH_BROKER"),
        ({"FIGUREWATCH_BROKER": " , "}, "FIGUREWATCH_BROKER"),
        ({"FIGUREWATCH_BROKER": "kafka:port"}, "FIGUREWATCH_BROKER"),
        ({"FIGUREWATCH_BROKER": "kafka:1,:9092"}, "FIGUREWATCH_BROKER"),
        ({"FIGUREWATCH_LOG_LEVEL": "bogus"}, "FIGUREWATCH_LOG_LEVEL"),
        ({"FIGUREWATCH_SESSION_TIMEOUT": "0"}, "FIGUREWATCH_SESSION_TIMEOUT"),
        ({"FIGUREWATCH_SESSION_TIMEOUT": "nan"}, "FIGUREWATCH_SESSION_TIMEOUT"),
        ({"FIGUREWATCH_STALL_SECONDS": "-5"}, "FIGUREWATCH_STALL_SECONDS"),
        ({"FIGUREWATCH_APP_ID": "figures/watch"}, "FIGUREWATCH_APP_ID"),
    ],
)
def test_bad_values_name_their_setting_in_one_line(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env(env)
    assert named in str(error.value) and "\n" not in str(error.value)


def test_good_values_at_the_edges_pass() -> None:
    s = Settings.from_env({"FIGUREWATCH_WEB_PORT": "65535", "FIGUREWATCH_BROKER": "kafka, b:1", "FIGUREWATCH_LOG_LEVEL":
                           "DEBUG", "FIGUREWATCH_KAFKA_SASL_PORT": "0", "FIGUREWATCH_APP_ID": "fw.prod_1-a"})
    assert (s.web_port, s.bootstrap_servers, s.kafka_sasl_port) == (65535, ["kafka", "b:1"], 0)
    assert s.state_dir == s.data_dir.resolve() / "worker" / "fw.prod_1-a"


def test_serve_listens_on_loopback_and_keeps_its_database_in_the_data_folder() -> None:
    s = Settings.from_env({"FIGUREWATCH_DATA_DIR": "/var/lib/fw"})
    assert (s.serve_host, s.serve_port, s.serve_db_path) == ("127.0.0.1", 6067, Path("/var/lib/fw/serve.sqlite3"))
    assert Settings.from_env({"FIGUREWATCH_SERVE_DB": "/tmp/x.db"}).serve_db_path == Path("/tmp/x.db")
    with pytest.raises(ConfigError):
        Settings.from_env({"FIGUREWATCH_SERVE_PORT": "0"})
