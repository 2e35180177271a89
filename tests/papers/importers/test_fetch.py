"""The live fetchers against a local HTTP server: retries, errors in plain words, spacing."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from papers.importers.fetch import fetch_arxiv, fetch_openreview_forum, fetch_url
from papers.importers.records import ImportFailed
from tests.fixtures import PAPER_FILES

FILES = PAPER_FILES


class Handler(BaseHTTPRequestHandler):
    """Answers from `server.script`: a list of (status, body) consumed one request at a time."""

    def do_GET(self):
        self.server.paths.append(self.path)
        status, body = self.server.script.pop(0) if self.server.script else (404, b"")
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.script, httpd.paths = [], []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_a_server_error_is_retried_once(server):
    server.script = [(503, b"busy"), (200, b"fine")]
    assert fetch_url(server.url + "/x", pause=0) == b"fine"
    assert len(server.paths) == 2


def test_a_second_failure_is_reported_with_the_status(server):
    server.script = [(500, b""), (500, b"")]
    with pytest.raises(ImportFailed, match=r"answered HTTP 500 \(Internal Server Error\)\.$"):
        fetch_url(server.url + "/x", pause=0)


def test_a_client_error_is_not_retried(server):
    server.script = [(404, b""), (200, b"never")]
    with pytest.raises(ImportFailed, match="answered HTTP 404"):
        fetch_url(server.url + "/x", pause=0)
    assert len(server.paths) == 1


def test_an_unreachable_host_gives_a_clear_offline_message():
    with pytest.raises(ImportFailed) as error:
        fetch_url("http://127.0.0.1:9/notes", pause=0, timeout=2)
    assert str(error.value).startswith("Could not reach 127.0.0.1:9 (")
    assert str(error.value).endswith("check the connection, or import a saved file instead.")


def test_a_forum_missing_from_api_v2_is_looked_up_in_api_v1(server, settings):
    settings.PAPERS_OPENREVIEW_APIS = [server.url + "/v2", server.url + "/v1"]
    body = (FILES / "openreview_v1_forum.json").read_bytes()
    server.script = [(200, b'{"notes": [], "count": 0}'), (200, body)]
    assert fetch_openreview_forum("B1gV1aNtwH") == body
    assert server.paths == ["/v2/notes?forum=B1gV1aNtwH", "/v1/notes?forum=B1gV1aNtwH"]


def test_an_unknown_forum_is_named(server, settings):
    settings.PAPERS_OPENREVIEW_APIS = [server.url]
    server.script = [(200, b'{"notes": []}')]
    with pytest.raises(ImportFailed, match=r"^OpenReview has no forum with id “nope”.$"):
        fetch_openreview_forum("nope")


def test_arxiv_requests_are_batched_and_spaced(server, settings):
    settings.PAPERS_ARXIV_API = server.url + "/api/query"
    server.script = [(200, b"<feed/>"), (200, b"<feed/>")]
    ids = [f"2401.{n:05d}" for n in range(21)]
    started = time.monotonic()
    assert fetch_arxiv(ids, spacing=0.5) == [b"<feed/>", b"<feed/>"]
    assert time.monotonic() - started >= 0.5
    assert server.paths[1] == "/api/query?id_list=2401.00020&max_results=1"
