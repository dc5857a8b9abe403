"""The one HTTP client: JSON decoded, query parameters encoded, failures as HttpError."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from turbine.core import http


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"path": self.path}).encode() if "ok" in self.path else b"<html>"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    httpd = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_it_decodes_json_and_encodes_the_parameters(server):
    answer = http.fetch_json(f"{server}/ok", params={"q": "1 rue de Lens", "limit": 1})
    assert answer == {"path": "/ok?q=1+rue+de+Lens&limit=1"}


def test_a_body_that_is_not_json_is_an_http_error(server):
    with pytest.raises(http.HttpError):
        http.fetch_json(f"{server}/page")


def test_an_unreachable_service_is_an_http_error():
    with pytest.raises(http.HttpError):
        http.fetch_json("http://127.0.0.1:9/", timeout=2)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/", "/relative"])
def test_it_refuses_other_schemes(url):
    with pytest.raises(http.HttpError):
        http.fetch_json(url)
