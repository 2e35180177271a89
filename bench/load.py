"""A small HTTP load generator for `make bench`: keep-alive connections, fixed duration.

wrk is not installable by the project's own files, so this stands in: `processes` worker
processes (the GIL would otherwise cap the client below the server) each run `connections`
threads, every thread one persistent HTTP/1.1 connection sending GETs back to back. Latencies
are per request; the throughput is all responses over the wall time of the run.

Through gunicorn's sync workers a keep-alive connection is closed after each response
(gunicorn answers `Connection: close`), so threads reconnect as needed; that cost is the
same for every page, the static file included, so the ratios stay fair.
"""

import http.client
import multiprocessing
import statistics
import threading
import time


def _run_thread(host, port, paths, headers, deadline, out):
    latencies, statuses, conn, i = [], {}, None, 0
    while time.perf_counter() < deadline:
        path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=30)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException):
            status = 0
            if conn is not None:
                conn.close()
            conn = None
        latencies.append(time.perf_counter() - started)
        statuses[status] = statuses.get(status, 0) + 1
    if conn is not None:
        conn.close()
    out.append((latencies, statuses))


def _run_process(host, port, paths, headers, connections, seconds, queue):
    out = []
    deadline = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=_run_thread, args=(host, port, paths, headers, deadline, out))
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = [t for lat, _ in out for t in lat]
    statuses = {}
    for _, counts in out:
        for status, n in counts.items():
            statuses[status] = statuses.get(status, 0) + n
    queue.put((latencies, statuses))


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] if ordered else float("nan")


def run(host, port, paths, *, seconds=5.0, processes=2, connections=4, headers=None):
    """GET `paths` in rotation for `seconds`; {rps, p50, p99 (ms), requests, statuses}."""
    paths = [paths] if isinstance(paths, str) else list(paths)
    queue = multiprocessing.get_context("fork").Queue()
    args = (host, port, paths, headers or {}, connections, seconds, queue)
    workers = [
        multiprocessing.get_context("fork").Process(target=_run_process, args=args)
        for _ in range(processes)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.join()
    latencies = [t for lat, _ in results for t in lat]
    statuses = {}
    for _, counts in results:
        for status, n in counts.items():
            statuses[status] = statuses.get(status, 0) + n
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99": percentile(latencies, 99) * 1000,
        "requests": len(latencies),
        "statuses": statuses,
        "non2xx": sum(n for s, n in statuses.items() if not 200 <= s < 400),
    }
