"""Every configuration and command-line error is one line starting ``figurewatch: error:`` that names the
setting or the file, with a non-zero exit; a closed pipe ends quietly; secrets stay out of debug logs.

Each case runs the real command as a subprocess; the worker cases run against the session's real broker (its
SASL listener for the SASL cases).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pytest

from tests.conftest import REPO, SaslEndpoint, WorkerProcess, free_port

pytestmark = pytest.mark.integration

SAMPLE = REPO / "corpus" / "sample-news.jsonl"


@dataclass(frozen=True)
class Case:
    """One failing command: its arguments, the environment it adds, and what its one error line must name.
    ``{...}`` in arguments, environment and names stands for a value made by the test (see ``_values``)."""

    id: str
    argv: tuple[str, ...]
    names: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    broker: str = "plain"  # the worker's broker: "plain" or "sasl"
    status: int = 1  # 2 for a usage error, as argparse has it; 141 for a closed pipe
    head: bool = False  # the output is piped into `head -3`: no error line at all, only the status


CASES = [
    Case("web-port-out-of-range", ("worker",), ("FIGUREWATCH_WEB_PORT", "70000"), {"FIGUREWATCH_WEB_PORT": "70000"}),
    Case("empty-broker", ("worker",), ("FIGUREWATCH_BROKER",), {"FIGUREWATCH_BROKER": ""}),
    Case("data-dir-not-creatable", ("worker",), ("FIGUREWATCH_DATA_DIR", "{tmp}/a-file"),
         {"FIGUREWATCH_DATA_DIR": "{tmp}/a-file/state"}),
    Case("bogus-log-level", ("worker",), ("FIGUREWATCH_LOG_LEVEL", "bogus"), {"FIGUREWATCH_LOG_LEVEL": "bogus"}),
    Case("web-port-taken", ("worker",), ("FIGUREWATCH_WEB_PORT", "{held_port}", "taken"),
         {"FIGUREWATCH_WEB_PORT": "{held_port}"}),
    Case("session-timeout-zero", ("worker",), ("FIGUREWATCH_SESSION_TIMEOUT",), {"FIGUREWATCH_SESSION_TIMEOUT": "0"}),
    Case("session-timeout-below-the-broker-minimum", ("worker",),
         ("FIGUREWATCH_SESSION_TIMEOUT=2", "group.min.session.timeout.ms"), {"FIGUREWATCH_SESSION_TIMEOUT": "2"}),
    Case("wrong-sasl-password", ("worker",), ("FIGUREWATCH_SASL_PASSWORD", "refused", "Authentication failed"),
         {"FIGUREWATCH_SASL_PASSWORD": "not-the-password"}, broker="sasl"),
    Case("broker-port-out-of-range", ("broker", "start"), ("FIGUREWATCH_KAFKA_PORT", "99999"),
         {"FIGUREWATCH_KAFKA_PORT": "99999"}),
    Case("broker-data-dir-not-creatable", ("broker", "start"), ("FIGUREWATCH_DATA_DIR", "{tmp}/a-file"),
         {"FIGUREWATCH_DATA_DIR": "{tmp}/a-file/state"}),
    Case("extract-missing-file", ("extract", "{tmp}/missing.jsonl"), ("{tmp}/missing.jsonl", "No such file")),
    Case("replay-missing-file", ("replay", "{tmp}/missing.jsonl"), ("{tmp}/missing.jsonl", "No such file")),
    Case("extract-a-directory", ("extract", "{tmp}"), ("{tmp}", "Is a directory")),
    Case("replay-a-directory", ("replay", "{tmp}"), ("{tmp}", "Is a directory")),
    Case("produce-a-directory", ("produce", "{tmp}"), ("{tmp}", "Is a directory")),
    Case("web-host-unknown", ("worker",), ("FIGUREWATCH_WEB_HOST",), {"FIGUREWATCH_WEB_HOST": "no-such-host.invalid"}),
    Case("demo-missing-corpus", ("demo", "--corpus", "{tmp}/missing.jsonl"), ("{tmp}/missing.jsonl",)),
    Case("evaluate-missing-corpus", ("evaluate", "extraction", "--corpus", "{tmp}/missing.jsonl"),
         ("{tmp}/missing.jsonl",)),
    Case("missing-argument", ("extract",), ("extract", "required: file"), status=2),
    Case("unknown-command", ("extrakt",), ("invalid choice", "extrakt"), status=2),
    Case("evaluate-unknown-option", ("evaluate", "ledger", "--bogus"), ("evaluate ledger", "--bogus"), status=2),
    Case("extract-into-head", ("extract", "{many_items}"), (), status=141, head=True),
    Case("replay-into-head", ("replay", "{many_items}"), (), status=141, head=True),
    Case("extract-bad-line", ("extract", "{bad_file}"), ("{bad_file} line 3", "not_json", "character 0")),
    Case("replay-bad-line", ("replay", "{bad_file}"), ("{bad_file} line 3", "not_json", "character 0")),
]


def good_items(count: int) -> list[bytes]:
    """``count`` distinct news items about known conflicts: the sample corpus under new ids."""
    sample = [orjson.loads(line) for line in SAMPLE.read_bytes().splitlines() if line.strip()]
    return [orjson.dumps({**sample[i % len(sample)], "id": f"item-{i}"}) for i in range(count)]


def run(argv: tuple[str, ...], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "streams", *argv], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=timeout, check=False)


def into_head(argv: tuple[str, ...], env: dict[str, str]) -> tuple[int, str]:
    """Run a command as `figurewatch ... | head -3` does: read three lines, close the pipe; its status and stderr."""
    proc = subprocess.Popen([sys.executable, "-m", "streams", *argv], env=env, cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    head = [proc.stdout.readline() for _ in range(3)]
    assert all(line.endswith(b"\n") for line in head), head
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    return proc.wait(timeout=120), stderr


def the_error_line(result: subprocess.CompletedProcess[str], status: int = 1) -> str:
    """The one error line of a failed command (JSON log lines of the worker aside): no traceback, exit 1."""
    assert result.returncode == status, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = [line for line in result.stderr.splitlines() if not line.startswith("{")]
    assert len(lines) == 1, result.stderr[-3000:]
    assert lines[0].startswith("figurewatch: error: "), lines[0]
    return lines[0]


@pytest.fixture
def base_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIGUREWATCH_")}
    run_id = uuid.uuid4().hex[:8]
    env.update({
        "FIGUREWATCH_DATA_DIR": str(tmp_path / "data"), "FIGUREWATCH_TOPIC_PREFIX": f"e{run_id}.",
        "FIGUREWATCH_APP_ID": f"figurewatch-errors-{run_id}", "FIGUREWATCH_PARTITIONS": "1",
        "FIGUREWATCH_WEB_PORT": str(free_port()), "FIGUREWATCH_KAFKA_PORT": str(free_port()),
        "FIGUREWATCH_KAFKA_CONTROLLER_PORT": str(free_port()), "FIGUREWATCH_STORE": "memory://",
    })
    return env


def sasl_env(endpoint: SaslEndpoint) -> dict[str, str]:
    return {"FIGUREWATCH_BROKER": endpoint.bootstrap, "FIGUREWATCH_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
            "FIGUREWATCH_SASL_MECHANISM": "PLAIN", "FIGUREWATCH_SASL_USERNAME": endpoint.username,
            "FIGUREWATCH_SASL_PASSWORD": endpoint.password}


@pytest.fixture
def held_port() -> Iterator[int]:
    """A port another process listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_error_is_one_line_naming_the_setting_or_file(  # noqa: PLR0917  # pytest passes fixtures by name
    case: Case, base_env: dict[str, str], tmp_path: Path, kafka_bootstrap: str, kafka_sasl: SaslEndpoint,
    held_port: int,
) -> None:
    (tmp_path / "a-file").write_text("a file, not a folder")
    bad_file = tmp_path / "bad.jsonl"
    good = good_items(2)
    bad_file.write_bytes(good[0] + b"\n\nnot json\n" + good[1] + b"\n")
    many_items = tmp_path / "many.jsonl"
    many_items.write_bytes(b"\n".join(good_items(200)) + b"\n")  # far more claims than a pipe holds (64 KiB)
    values = {"tmp": str(tmp_path), "bad_file": str(bad_file), "held_port": str(held_port),
              "many_items": str(many_items)}
    env = dict(base_env)
    env.update(sasl_env(kafka_sasl) if case.broker == "sasl" else {"FIGUREWATCH_BROKER": kafka_bootstrap})
    env.update({key: value.format(**values) for key, value in case.env.items()})
    argv = tuple(arg.format(**values) for arg in case.argv)
    if case.head:
        status, stderr = into_head(argv, env)
        assert (status, stderr) == (case.status, ""), "a closed pipe ends quietly, with the status SIGPIPE gives"
        return
    started = time.monotonic()
    result = run(argv, env)
    elapsed = time.monotonic() - started
    line = the_error_line(result, case.status)
    for name in case.names:
        assert name.format(**values) in line, line
    assert elapsed < 20, f"{case.id} took {elapsed:.0f}s to fail"


def test_extract_and_replay_agree_on_a_bad_file_and_keep_the_good_lines(base_env: dict[str, str],
                                                                       tmp_path: Path) -> None:
    bad_file = tmp_path / "bad.jsonl"
    good = good_items(2)
    bad_file.write_bytes(good[0] + b"\n[1, 2]\n" + good[1] + b"\n")
    extracted, replayed = run(("extract", str(bad_file)), base_env), run(("replay", str(bad_file)), base_env)
    assert extracted.returncode == replayed.returncode == 1
    assert extracted.stderr == replayed.stderr == f"figurewatch: error: {bad_file} line 2 skipped: not_object: " \
                                                 "expected a JSON object, got list\n"
    claims = [orjson.loads(line) for line in extracted.stdout.splitlines()]
    assert {claim["item_id"] for claim in claims} == {"item-0", "item-1"}, "the good lines around it are read"
    assert replayed.stdout.strip(), "and replayed"


def test_secrets_never_in_debug_logs_of_a_sasl_run(
    start_worker: Callable[..., WorkerProcess], kafka_sasl: SaslEndpoint, tmp_path: Path,
) -> None:
    """A worker at debug level against a SASL/PLAIN listener logs every Kafka request, the authentication
    request included, and processes an item; its whole log never holds the password."""
    worker = start_worker(FIGUREWATCH_LOG_LEVEL="debug", **sasl_env(kafka_sasl))
    items = tmp_path / "items.jsonl"
    items.write_bytes(good_items(1)[0] + b"\n")
    produced = run(("produce", str(items)), {**worker.env, "FIGUREWATCH_LOG_LEVEL": "debug"})
    assert produced.returncode == 0, produced.stderr[-2000:]
    assert worker.wait_metric("figurewatch_items_accepted_total", 1) == 1, worker.log_tail()
    worker.stop()
    log = worker.log_path.read_text()
    assert kafka_sasl.password not in log
    assert kafka_sasl.password not in produced.stderr + produced.stdout
    assert '"level":"debug"' in log and "SaslAuthenticate" in log and "auth_bytes=<redacted>" in log, \
        "the authentication request was logged, without its bytes"


def test_two_app_ids_share_a_data_folder_and_no_router_view_is_served(
    start_worker: Callable[..., WorkerProcess], tmp_path: Path,
) -> None:
    """Workers of two app ids, one after the other on one data folder with RocksDB tables, both start and
    work (each app id keeps its state in its own folder); Faust's /router/ view is not served."""
    shared = str(tmp_path / "shared-data")
    run_id = uuid.uuid4().hex[:8]
    items = tmp_path / "items.jsonl"
    items.write_bytes(good_items(1)[0] + b"\n")
    for app_id in (f"figurewatch-a-{run_id}", f"figurewatch-b-{run_id}"):
        worker = start_worker(FIGUREWATCH_DATA_DIR=shared, FIGUREWATCH_APP_ID=app_id, FIGUREWATCH_STORE="rocksdb://",
                              FIGUREWATCH_TOPIC_PREFIX=f"{app_id}.")
        produced = run(("produce", str(items)), worker.env)
        assert produced.returncode == 0, produced.stderr[-2000:]
        assert worker.wait_metric("figurewatch_items_accepted_total", 1) == 1, worker.log_tail()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{worker.web_port}/router/", timeout=5)
        assert missing.value.code == 404
        worker.stop()
