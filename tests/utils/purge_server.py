"""A real HTTP server that records the PURGE requests Wagtail's HTTP cache backend sends."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import override_settings


class PurgeRecorder(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), PurgeHandler)
        self.purged: list[str] = []

    @property
    def location(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class PurgeHandler(BaseHTTPRequestHandler):
    server: PurgeRecorder

    def do_PURGE(self) -> None:  # named after the HTTP method
        self.server.purged.append(f"http://{self.headers['Host']}{self.path}")
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def recording_purges() -> Iterator[PurgeRecorder]:
    """Run the recorder and point WAGTAILFRONTENDCACHE at it for the duration."""
    server = PurgeRecorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    backend = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": server.location,
    }
    try:
        with override_settings(WAGTAILFRONTENDCACHE={"varnish": backend}):
            yield server
    finally:
        server.shutdown()
        server.server_close()
