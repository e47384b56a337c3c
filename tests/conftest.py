"""Shared fixtures: loopback HTTP servers, moto's server, and a blocked network by default."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.faults import FeedServer, SlackSink
from tests.loopback import Loopback


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    server = Loopback().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's real HTTP server on loopback; boto3 reaches it through AWS_ENDPOINT_URL."""
    from moto.server import ThreadedMotoServer

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="session")
def atomic_moto() -> Iterator[str]:
    """moto's app served one request at a time. DynamoDB applies each conditional write
    atomically per item; moto's threaded server does not (two racing UpdateItems can both
    pass a condition), so race tests would test moto instead of our conditions."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import WSGIRequestHandler, make_server

    class _Quiet(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            pass

    app = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def serialised(environ: Any, start_response: Any) -> list[bytes]:
        with lock:
            return list(app(environ, start_response))

    server = make_server("127.0.0.1", 0, serialised, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def atomic_aws_env(atomic_moto: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Like ``aws_env``, but boto3 talks to the atomic moto server."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", atomic_moto)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return atomic_moto


@pytest.fixture
def aws_env(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point boto3 at moto's server with dummy credentials; returns the endpoint."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return moto_endpoint


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach real AWS: without an endpoint, boto3 gets unusable credentials."""
    if "AWS_ENDPOINT_URL" not in os.environ:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture(params=["sqlite", "dynamo"])
def any_store(
    request: pytest.FixtureRequest, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    """Each store the job can run on: SqliteStore on a temp file, DynamoStore on atomic moto."""
    if request.param == "sqlite":
        from alerts.store_sqlite import SqliteStore

        sqlite = SqliteStore(str(tmp_path / "state" / "watch.db"))
        yield sqlite
        sqlite.close()
        return
    request.getfixturevalue("atomic_aws_env")
    import uuid

    import boto3

    from alerts.store_dynamo import DynamoStore, create_table

    client = boto3.client("dynamodb")
    table = f"watch-{uuid.uuid4().hex[:12]}"
    create_table(client, table)
    yield DynamoStore(table, client, base_delay=0.001)
    client.delete_table(TableName=table)


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    """Loopback feeds with scripted faults (tests/faults.py)."""
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture
def sink() -> Iterator[SlackSink]:
    """A loopback Slack webhook that records messages and can be told to fail."""
    server = SlackSink().start()
    yield server
    server.stop()
