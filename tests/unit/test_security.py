"""Security settings: SASL/TLS reach every client, secrets never show, no pickle, loopback by default."""

from __future__ import annotations

import re
import ssl
from pathlib import Path

import faust
import pytest

from streams._exceptions import ConfigError
from streams.app import create_app
from streams.codecs import OrjsonCodec
from streams.security import faust_credentials, kafka_python_options
from streams.settings import Settings

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
SASL = {"FIGUREWATCH_SECURITY_PROTOCOL": "SASL_SSL", "FIGUREWATCH_SASL_MECHANISM": "SCRAM-SHA-512",
        "FIGUREWATCH_SASL_USERNAME": "figurewatch", "FIGUREWATCH_SASL_PASSWORD": "s3cret-value"}


def test_plaintext_by_default() -> None:
    settings = Settings.from_env({})
    assert kafka_python_options(settings) == {"security_protocol": "PLAINTEXT"}
    assert faust_credentials(settings) is None


def test_sasl_ssl_reaches_kafka_python_and_faust() -> None:
    settings = Settings.from_env(SASL)
    options = kafka_python_options(settings)
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_username"] == "figurewatch"
    assert options["sasl_plain_password"] == "s3cret-value"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert options["ssl_context"].verify_mode == ssl.CERT_REQUIRED
    credentials = faust_credentials(settings)
    assert isinstance(credentials, faust.SASLCredentials)
    assert credentials.username == "figurewatch" and credentials.ssl_context is not None


def test_password_from_file_and_never_in_repr(tmp_path: Path) -> None:
    secret = tmp_path / "password"
    secret.write_text("from-a-file\n")
    settings = Settings.from_env({**SASL, "FIGUREWATCH_SASL_PASSWORD_FILE": str(secret)})
    assert kafka_python_options(settings)["sasl_plain_password"] == "from-a-file"
    assert "s3cret-value" not in repr(settings) and "from-a-file" not in repr(settings)
    missing = Settings.from_env({**SASL, "FIGUREWATCH_SASL_PASSWORD_FILE": str(tmp_path / "nope")})
    with pytest.raises(ConfigError):
        kafka_python_options(missing)


def test_ssl_only_uses_the_ca_file() -> None:
    settings = Settings.from_env({"FIGUREWATCH_SECURITY_PROTOCOL": "SSL"})
    assert isinstance(faust_credentials(settings), faust.SSLCredentials)
    with pytest.raises(FileNotFoundError):
        kafka_python_options(settings.replace(ssl_cafile=Path("/nonexistent/ca.pem")))


@pytest.mark.parametrize("env", [
    {"FIGUREWATCH_SECURITY_PROTOCOL": "SASL_PLAINTEXT"},
    {"FIGUREWATCH_SECURITY_PROTOCOL": "TLS"},
    {"FIGUREWATCH_SASL_MECHANISM": "GSSAPI"},
    {"FIGUREWATCH_WEB_TABLES": "maybe"},
])
def test_bad_security_settings_fail(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        Settings.from_env(env)


def test_app_uses_orjson_binds_loopback_and_hides_table_views() -> None:
    app = create_app(Settings(store="memory://"), lambda item: [], {})
    assert isinstance(app.conf.value_serializer, OrjsonCodec)
    assert app.conf.web_bind == "127.0.0.1"
    assert app.conf.web_tables_enabled is False
    enabled = create_app(Settings(store="memory://", web_tables=True), lambda item: [], {})
    assert enabled.conf.web_tables_enabled is True


def test_no_pickle_anywhere_in_our_code() -> None:
    uses = re.compile(r"import pickle|from pickle|[\"']pickle[\"']|import cPickle")
    for path in (REPO / "streams").rglob("*.py"):
        assert not uses.search(path.read_text()), path
