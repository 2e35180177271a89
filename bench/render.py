"""In-process render times of every reader page, page cache off and on (not part of the suite).

Loads the demo into a fresh database (SQLite in a temporary file unless BENCH_DATABASE_URL
names another), then times N requests per page through Django's test Client with production
settings and DEBUG off: with the page cache off, as a cached hit (Redis), as a conditional GET
of a cached page, and a static file served by whitenoise through the same client (the ceiling,
requested in turn with each page's hits, so the hit/static ratio of a page is of one moment).

    .venv/bin/python bench/render.py [--repeat 200] [--json out.json] [--compare before.json]
    .venv/bin/python bench/render.py --profile post --repeat 50   # where a page's time goes

Timings on a shared machine are noisy, so the default clock is this process's CPU time (other
processes' load barely moves it; the database server's and Redis's time is not counted, so
compare with --wall): compare runs made back to back, medians only.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="cr-render-"))

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{WORK / 'db.sqlite3'}"),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(WORK / "static"),
        "MEDIA_ROOT": str(WORK / "media"),
        "LOG_LEVEL": "ERROR",
        # Redis is shared: keys of this run only, so nothing is ever flushed.
        "CACHE_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", f"bench-render-{uuid.uuid4().hex}"),
    }
)


def setup():
    import django

    django.setup()
    from django.core.management import call_command, get_commands

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if "rebuild_search_index" in get_commands():
        call_command("rebuild_search_index", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def page_urls():
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db.models import Count
    from django.urls import reverse

    from reviews.models import Post

    # The demo post with the most slides (56 on NeurIPS 2023), as the issue measures.
    post = (
        Post.objects.published()
        .annotate(slides=Count("sections__entries__images"))
        .order_by("-slides")
        .first()
    )
    entry = next(e for s in post.sections.all() for e in s.entries.all() if e.paper_id)
    author = entry.paper.authorships.order_by("order").first().author
    return {
        "home": reverse("reviews:post-list"),
        "post": post.get_absolute_url(),
        "paper": entry.paper.get_absolute_url(),
        "conference list": reverse("papers:conference-list"),
        "conference": post.conference.get_absolute_url(),
        "tag list": reverse("reviews:tag-list"),
        "tag": reverse("reviews:tag-detail", kwargs={"slug": post.tags.first().slug}),
        "paper list": reverse("papers:paper-list"),
        "author list": reverse("papers:author-list"),
        "author": author.get_absolute_url(),
        "search": reverse("search:search") + "?q=protein",
        "feed": reverse("reviews:feed-atom"),
        "sitemap": reverse("reviews:sitemap"),
        "static": staticfiles_storage.url("css/site.css"),
    }


CLOCK = time.process_time


def median_ms(client, url, repeat, **headers):
    times = []
    for _ in range(repeat):
        started = CLOCK()
        response = client.get(url, headers=headers)
        times.append(CLOCK() - started)
    assert response.status_code in (200, 304), (url, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return round(statistics.median(times) * 1000, 3), response, len(body)


def interleaved_ms(client, url, static, repeat, **headers):
    """(median ms of `url`, median ms of the static file), the two requested in turn, so a
    hit and its ceiling see the same machine: a loaded one moves both within seconds."""
    times, ceiling = [], []
    for _ in range(repeat):
        started = CLOCK()
        response = client.get(url, headers=headers)
        times.append(CLOCK() - started)
        started = CLOCK()
        b"".join(client.get(static).streaming_content)
        ceiling.append(CLOCK() - started)
    assert response.status_code in (200, 304), (url, response.status_code)
    return (
        round(statistics.median(times) * 1000, 3),
        round(statistics.median(ceiling) * 1000, 3),
        response,
    )


def measure(repeat, pages=None):
    from django.conf import settings
    from django.test import Client

    client = Client()
    rows = {}
    urls = page_urls()
    for name, url in urls.items():
        if pages and name not in pages and name != "static":
            continue
        row = rows[name] = {}
        settings.PAGE_CACHE_SECONDS = 0
        row["off"], response, size = median_ms(client, url, repeat)
        row["kb"] = round(size / 1024, 1)
        if name == "static":
            continue
        settings.PAGE_CACHE_SECONDS = 300
        client.get(url)  # the miss that stores the page
        row["hit"], row["static"], response = interleaved_ms(client, url, urls["static"], repeat)
        assert response["X-Page-Cache"] == "hit", url
        if response.get("ETag"):
            row["304"], *_ = median_ms(client, url, repeat, if_none_match=response["ETag"])
    return rows


def profile(url, repeat, *, hit=False, top=25):
    """The cProfile entries that cost `url` most, page cache off (or as a cached hit)."""
    import cProfile
    import pstats

    from django.conf import settings
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 300 if hit else 0
    client = Client()
    client.get(url)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(repeat):
        client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def print_table(rows, before=None):
    columns = ["off", "hit", "304", "static"]
    head = ["page", "KB", *[f"{c} ms" for c in columns], "hit/static"]
    if before:
        head[2:2] = [f"before {c} ms" for c in columns]
        head.append("before hit/static")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, row in rows.items():
        cells = [name, str(row["kb"])]
        if before:
            cells += [str(before.get(name, {}).get(c, "-")) for c in columns]
        cells += [str(row.get(c, "-")) for c in columns]
        cells.append(ratio(row))
        if before:
            cells.append(ratio(before.get(name, {})))
        print("| " + " | ".join(cells) + " |")
    print(
        "\nmedians of in-process requests; hit/static = static file time / cached hit time, the "
        "static file requested in turn with the hit (its column)"
    )


def ratio(row):
    if "hit" not in row:
        return "1.00" if "off" in row else "-"
    static = row.get("static")
    return f"{static / row['hit']:.2f}" if static else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--compare", help="a --json file of an earlier run, shown beside")
    parser.add_argument(
        "--wall", action="store_true", help="wall-clock time (default: this process's CPU time)"
    )
    parser.add_argument("--profile", metavar="PAGE", help="cProfile one page, cache off, and stop")
    parser.add_argument("--hit", action="store_true", help="with --profile: a cached hit")
    parser.add_argument("--pages", help="comma-separated page names to measure (default: all)")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.perf_counter if args.wall else time.process_time
    setup()
    if args.profile:
        profile(page_urls()[args.profile], args.repeat, hit=args.hit)
        return
    rows = measure(args.repeat, pages=args.pages.split(",") if args.pages else None)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    before = json.loads(Path(args.compare).read_text()) if args.compare else None
    print_table(rows, before)


if __name__ == "__main__":
    main()
