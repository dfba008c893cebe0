"""Log records never carry secrets: SASL authentication bytes and the configured password are blanked."""

from __future__ import annotations

import io
import logging

import orjson
import pytest

from streams.logs import REDACTED, JsonFormatter, Redact

pytestmark = pytest.mark.unit

SECRET = "pa'ss\"w0rd-\u00e9"


def logged(msg: str, *args: object, exc: BaseException | None = None, **extra: object) -> dict[str, str]:
    """What one record becomes on the stderr handler: the JSON line, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(Redact([SECRET, "", None]))  # type: ignore[list-item]  # empty secrets are ignored
    logger = logging.Logger("aiokafka.conn", logging.DEBUG)
    logger.addHandler(handler)
    logger.debug(msg, *args, exc_info=(type(exc), exc, exc.__traceback__) if exc else None, extra=extra)
    text = stream.getvalue()
    assert all(form not in text for form in (SECRET, repr(SECRET)[1:-1], repr(SECRET.encode())[2:-1]))
    assert "w0rd" not in text
    return dict(orjson.loads(text))


@pytest.mark.parametrize("request_repr", [
    # aiokafka's request repr, and kafka-python's; the password in every form bytes can take in a repr
    "SaslAuthenticateRequest_v1(sasl_auth_bytes={!r})",
    "SaslAuthenticateRequest(version=2, auth_bytes={!r})",
])
def test_sasl_authentication_bytes_are_blanked(request_repr: str) -> None:
    for password in (SECRET, "plain", "it's", "\x00\xff"):
        auth = b"\x00user\x00" + password.encode("latin-1" if password == "\x00\xff" else "utf-8")
        entry = logged("Request to 127.0.0.1:9093 3: %s", request_repr.format(auth))
        assert entry["event"] == "Request to 127.0.0.1:9093 3: " + request_repr.replace("{!r}", REDACTED)
        assert "user" not in entry["event"]


def test_the_configured_secret_is_blanked_in_message_fields_and_exceptions() -> None:
    config = {"sasl_plain_username": "user", "sasl_plain_password": SECRET}
    assert logged("Starting KafkaAdminClient with configuration: %s", config)["event"] == (
        "Starting KafkaAdminClient with configuration: "
        + str({**config, "sasl_plain_password": REDACTED}))
    assert logged("login", password=SECRET, options=config)["password"] == REDACTED
    try:
        raise ValueError(f"bad password {SECRET}")
    except ValueError as exc:
        entry = logged("failed", exc=exc)
    assert f"bad password {REDACTED}" in entry["exception"]


def test_other_records_are_left_as_they_are() -> None:
    entry = logged("Sending %d requests to %s", 3, "broker-1", topic="news.items")
    assert (entry["event"], entry["topic"], entry["level"]) == ("Sending 3 requests to broker-1", "news.items", "debug")
