"""`make bench`: throughput of every public page type against a static-file ceiling, then a soak.

Starts gunicorn (2 workers) with production settings on PostgreSQL and Redis, loads a realistic
data set into a dedicated database, measures each page and a static file served by the same
gunicorn and whitenoise with wrk, prints each page's ratio to the ceiling, then runs 60 s of
32-connection load while another process saves posts through the admin. Results go to
bench/RESULTS.md.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB_NAME = os.environ.get("BENCH_DB", "cr_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
DURATION = os.environ.get("BENCH_SECONDS", "10")
SOAK_SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "60"))
TARGETS = {"post": 0.5}
DEFAULT_TARGET = 0.3
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="cr-bench-static-"))

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
    "STATIC_ROOT": str(STATIC_ROOT),
    "MEDIA_ROOT": str(Path(tempfile.mkdtemp(prefix="cr-bench-media-"))),
    "LOG_LEVEL": "ERROR",
    "AXES_FAILURE_LIMIT": "1000",
}
ENV.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk missing: installing the Debian package")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)


def reset_database():
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    import redis

    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()


def load_data():
    os.environ.update(ENV)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command, get_commands

    from bench.dataset import build_dataset

    started = time.perf_counter()
    sizes = build_dataset()
    if "rebuild_search_index" in get_commands():
        call_command("rebuild_search_index", verbosity=0)
    get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-password-1")
    print(f"data set {sizes} loaded in {time.perf_counter() - started:.1f} s")


def page_urls():
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.urls import NoReverseMatch, reverse

    from papers.models import Conference, Paper
    from reviews.models import Post

    def url(name, *args, **kwargs):
        try:
            return reverse(name, args=args, kwargs=kwargs or None)
        except NoReverseMatch:
            return None

    post = Post.objects.published().order_by("-published_at").first()
    paper = Paper.objects.filter(entries__isnull=False).first()
    conference = Conference.objects.get(slug="neurips-2023")
    tag = post.tags.first()
    candidates = {
        "static": staticfiles_storage.url("css/site.css"),
        "home": url("reviews:post-list"),
        "post": post.get_absolute_url(),
        "paper": paper.get_absolute_url(),
        "tag": url("reviews:tag-detail", slug=tag.slug),
        "conference": conference.get_absolute_url(),
        "feed": url("reviews:feed-atom") or url("reviews:post-feed-atom"),
        "search": (url("search:search") or "/search/") + "?q=protein+diffusion",
    }
    return {name: path for name, path in candidates.items() if path}


def start_gunicorn():
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def worker_pids(master):
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def rss_mb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output):
    def latency(pct):
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50": latency(50),
        "p99": latency(99),
        "requests": total,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
    }


def wrk(path, *, connections=16, duration=DURATION, script=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    result = subprocess.run([*cmd, BASE + path], capture_output=True, text=True, check=True)
    return parse_wrk(result.stdout), result.stdout


def status_of(path):
    try:
        return urllib.request.urlopen(BASE + path, timeout=10).status
    except urllib.error.HTTPError as exc:
        return exc.code


def measure_pages(urls):
    rows = {}
    for name, path in urls.items():
        status = status_of(path)
        if status != 200:
            print(f"{name:<11} {path}: HTTP {status}, skipped")
            continue
        wrk(path, duration="2")  # warm the cache and the workers
        rows[name], _ = wrk(path)
        print(f"{name:<11} {rows[name]['rps']:>9.0f} req/s  p50 {rows[name]['p50']:.2f} ms")
    return rows


def soak(urls, master):
    from reviews.models import Post

    paths = [p for n, p in urls.items() if n != "static"]
    script = Path(tempfile.mkdtemp()) / "rotate.lua"
    script.write_text(
        "local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
        "local i = 0\n"
        "request = function()\n  i = i + 1\n"
        "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n"
    )
    post_ids = list(Post.objects.order_by("pk").values_list("pk", flat=True)[:5])
    stop = Path(tempfile.mkdtemp()) / "stop"
    report = stop.with_name("saves.json")
    rss_before = {pid: rss_mb(pid) for pid in worker_pids(master)}
    samples, sampling = [], threading.Event()

    def sample_memory():
        started = time.monotonic()
        while not sampling.wait(5):
            samples.append((time.monotonic() - started, sum(map(rss_mb, worker_pids(master)))))

    sampler = threading.Thread(target=sample_memory, daemon=True)
    sampler.start()
    saver = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "bench" / "admin_saver.py"),
            BASE,
            "bench",
            "bench-password-1",
            ",".join(map(str, post_ids)),
            str(stop),
            str(report),
        ]
    )
    result, _ = wrk("/", connections=32, duration=str(SOAK_SECONDS), script=script)
    stop.touch()
    sampling.set()
    saver.wait(timeout=60)
    rss_after = {pid: rss_mb(pid) for pid in worker_pids(master)}
    saves = json.loads(report.read_text())
    last_title = {}
    for post_id, title in saves["saved"]:
        last_title[post_id] = title
    present = sum(Post.objects.get(pk=pk).title == title for pk, title in last_title.items())
    return {
        **result,
        "saves": len(saves["saved"]),
        "save_errors": saves["errors"],
        "saved_posts_checked": len(last_title),
        "saved_posts_present": present,
        "rss_before": rss_before,
        "rss_after": rss_after,
        "rss_samples": samples,
    }


def time_markdown_round_trip():
    import statistics

    from django.db import transaction

    from reviews.markdown.export import render_post_markdown
    from reviews.markdown.importer import MarkdownSource, import_post
    from reviews.models import Post

    example = ROOT / "tests" / "fixtures" / "posts" / "jekyll-post-example.md"
    source = MarkdownSource(example.name, example.read_bytes())
    imports, exports = [], []
    for _ in range(20):
        with transaction.atomic():
            started = time.perf_counter()
            report = import_post(source=source, update=True)
            imports.append((time.perf_counter() - started) * 1000)
            post = Post.objects.get(slug=report.slug)
            started = time.perf_counter()
            render_post_markdown(post)
            exports.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    return {"import_ms": statistics.median(imports), "export_ms": statistics.median(exports)}


def main():
    ensure_wrk()
    reset_database()
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    load_data()
    urls = page_urls()
    master = start_gunicorn()
    try:
        rows = measure_pages(urls)
        soak_result = soak(urls, master) if SOAK_SECONDS > 0 else None
        print("soak:", {k: v for k, v in (soak_result or {}).items() if k != "save_errors"})
    finally:
        master.terminate()
        master.wait(timeout=20)
    markdown = time_markdown_round_trip()
    write_results(rows, soak_result, markdown)


def write_results(rows, soak_result, markdown):
    ceiling = rows["static"]["rps"]
    lines = [
        "| page | req/s | p50 ms | p99 ms | ratio to static | target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, row in rows.items():
        ratio = row["rps"] / ceiling
        target = TARGETS.get(name, DEFAULT_TARGET) if name != "static" else 1.0
        met = "ceiling" if name == "static" else ("yes" if ratio >= target else "NO")
        lines.append(
            f"| {name} | {row['rps']:.0f} | {row['p50']:.2f} | {row['p99']:.2f} | {ratio:.2f} "
            f"| {target:.1f} | {met} |"
        )
    table = "\n".join(lines)
    print(table)
    out = [
        "## Page throughput (make bench)",
        "",
        f"Reproduce: `make bench` (gunicorn 2 workers, PostgreSQL, Redis; wrk -t2 -c16 "
        f"-d{DURATION}s per page). Data: 50 posts shaped like the example, 5,000 papers with "
        "4 review excerpts each, 200 tags.",
        "",
        table,
        "",
    ]
    if soak_result:
        growth = {
            pid: soak_result["rss_after"].get(pid, 0) - before
            for pid, before in soak_result["rss_before"].items()
        }
        soak_text = (
            f"Soak: {SOAK_SECONDS} s, 32 connections over the public pages, "
            f"{soak_result['requests']} requests ({soak_result['rps']:.0f} req/s), "
            f"non-2xx/3xx: {soak_result['non2xx']}, p99 {soak_result['p99']:.2f} ms; "
            f"admin saves meanwhile: {soak_result['saves']} "
            f"(errors: {len(soak_result['save_errors'])}), last save present for "
            f"{soak_result['saved_posts_present']}/{soak_result['saved_posts_checked']} posts; "
            "worker RSS MB before -> after: "
            + ", ".join(
                f"{soak_result['rss_before'][p]:.0f} -> {soak_result['rss_after'].get(p, 0):.0f}"
                for p in soak_result["rss_before"]
            )
            + f" (max growth {max(growth.values(), default=0):.1f} MB). Both workers' RSS every "
            "5 s (MB): "
            + ", ".join(f"{t:.0f}s {mb:.0f}" for t, mb in soak_result["rss_samples"])
            + "."
        )
        print(soak_text)
        if soak_result["save_errors"]:
            print("save errors:", soak_result["save_errors"][:5])
        out += ["## Load and soak", "", soak_text, ""]
    if markdown:
        md = (
            f"Markdown round trip of the example post (median of 20, in-process, PostgreSQL): "
            f"import {markdown['import_ms']:.1f} ms, export {markdown['export_ms']:.1f} ms "
            "(target under 50 ms each)."
        )
        print(md)
        out += ["## Markdown export and import", "", md, ""]
    results = ROOT / "bench" / "RESULTS.md"
    existing = results.read_text() if results.exists() else "# Benchmark results\n\n"
    marker = "<!-- make bench -->"
    head = existing.split(marker)[0].rstrip() + "\n\n"
    machine = f"Machine: {os.cpu_count()} cores; run at {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}."
    results.write_text(head + marker + "\n" + machine + "\n\n" + "\n".join(out))


if __name__ == "__main__":
    main()
