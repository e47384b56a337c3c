"""`run --demo`: serve the bundled sample feeds on loopback so the whole pipeline,
HTTP included, runs offline. The server answers conditional GETs like a real feed host."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from scraper.model import Source

FEEDS_DIR = Path(__file__).with_name("demo_feeds")
_NAMES = {
    "wire.xml": "Demo Defense Wire",
    "monitor.xml": "Demo Air Defence Monitor",
    "desk.xml": "Demo Regional Desk",
}
_STARTED = formatdate(usegmt=True)
DEMO_PORT = 47651


@dataclass
class DemoServer:
    server: ThreadingHTTPServer
    thread: threading.Thread
    sources: tuple[Source, ...]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet: the run report says what happened
        pass

    def do_GET(self) -> None:
        path = FEEDS_DIR / self.path.lstrip("/")
        if path.parent != FEEDS_DIR or not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        kind = "application/atom+xml" if b"<feed" in body[:200] else "application/rss+xml"
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", _STARTED)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def start_demo_server() -> DemoServer:
    """Start the loopback feed server; its ``sources`` replace the watchlist's feeds."""
    try:  # a fixed port keeps the demo's feed URLs, and so their stored state, the same across runs
        server = ThreadingHTTPServer(("127.0.0.1", DEMO_PORT), _Handler)
    except OSError:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="demo-feeds", daemon=True)
    thread.start()
    port = server.server_address[1]
    sources = tuple(
        Source(name=name, url=f"http://127.0.0.1:{port}/{file}") for file, name in sorted(_NAMES.items())
    )
    return DemoServer(server, thread, sources)
