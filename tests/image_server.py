"""A real HTTP server on 127.0.0.1 serving fixed routes, for the tests of what the site fetches
(gallery images, video thumbnails). Each route is (status, content type, body, options):
options may set `Location`, a `Content-Length` to announce, `no-length`, or a `delay` in seconds.
"""

import contextlib
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextlib.contextmanager
def serving(routes: dict):
    """Yield (base URL, hits per path) while a server answers `routes`; 404 for anything else."""
    hits = Counter()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits[self.path] += 1
            if self.path not in routes:
                self.send_error(404, "Not Found")
                return
            status, content_type, body, options = routes[self.path]
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if "Location" in options:
                self.send_header("Location", options["Location"])
            if "Content-Length" in options:
                self.send_header("Content-Length", options["Content-Length"])
            elif not options.get("no-length"):
                self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if options.get("delay"):
                time.sleep(options["delay"])
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()
