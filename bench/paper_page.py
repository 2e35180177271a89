"""In-process render time of the paper page with 20 peer reviews (not part of the suite).

The target (issue 15): under 15 ms on PostgreSQL with the page cache off. Builds one paper
shaped like a busy OpenReview forum (8 authors, 20 official reviews of five fields each with
sub-scores, a meta-review, a decision, links, topics), one with 2 reviews and a keynote by one
of its authors (that page must not regress), in the database
BENCH_DATABASE_URL names (default: PostgreSQL on 127.0.0.1, database cr_bench_paper, created if
missing), then times requests through Django's test Client with production settings, DEBUG off.

    .venv/bin/python bench/paper_page.py [--repeat 200]
    .venv/bin/python bench/paper_page.py --profile 20 --repeat 50   # where the time goes

Medians of this process's CPU time (the database server's time not counted) and of wall time.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="cr-paper-bench-"))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cr_bench_paper"
)

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": DATABASE_URL,
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
        "PAGE_CACHE_SECONDS": "0",
    }
)

PARAGRAPH = (
    "The paper proposes a pretraining task and studies how accuracy scales with model and "
    "data size. The experiments are broad, but the baselines are thin and the claims about "
    "asymptotic behaviour rest on one order of magnitude of variation. "
)


def create_database():
    """CREATE DATABASE when the PostgreSQL one is missing (SQLite files create themselves)."""
    if not DATABASE_URL.startswith("postgres"):
        return
    import psycopg

    server, name = DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def build(reviews: int, tag: str):
    from papers.models import Author, Authorship, Conference, Paper, PaperLink, PeerReviewExcerpt
    from papers.pages import refresh_paper_pages
    from papers.review_text import excerpt_html

    conference, _ = Conference.objects.get_or_create(
        short_name="BENCH",
        year=2024,
        defaults={"full_name": "Benchmark Conference", "listed": True},
    )
    Paper.objects.filter(title__startswith=f"Bench paper {tag}").delete()
    paper = Paper.objects.create(
        conference=conference,
        title=f"Bench paper {tag}: Neural Scaling Laws for Phenotypic Drug Discovery",
        abstract=PARAGRAPH * 4,
        tldr=PARAGRAPH,
        outcome=Paper.Outcome.ACCEPTED_POSTER,
        decision="Accept (poster)",
        venue="BENCH 2024 poster",
        doi="10.1000/bench",
        arxiv_id=f"2401.{reviews:05d}",
        primary_category="cs.LG",
        listed=True,
    )
    for order in range(8):
        author, _ = Author.objects.get_or_create(name=f"Bench Author {order}")
        Authorship.objects.create(paper=paper, author=author, order=order, affiliation="Lab")
    for order, kind in enumerate(["openreview", "pdf", "code", "data", "project", "slides"]):
        PaperLink.objects.create(
            paper=paper, kind=kind, url=f"https://example.org/{tag}/{kind}", order=order
        )
    paper.topics.set(["drug discovery", "scaling laws", "self-supervised learning"])
    excerpts, order = [], 0
    scores = {name: {"value": 3, "label": "3 good"} for name in ("soundness", "presentation")}
    for review in range(reviews):
        for field in ("summary", "strengths", "weaknesses", "questions", "limitations"):
            text = PARAGRAPH * (6 if field == "weaknesses" else 2)
            excerpts.append(
                PeerReviewExcerpt(
                    paper=paper,
                    source_kind="official_review",
                    note_id=f"{tag}-review-{review}",
                    reviewer_label=f"Reviewer r{review:02d}",
                    field=field,
                    text=text,
                    text_html=excerpt_html(text),  # what save() renders; bulk_create skips it
                    rating=6,
                    rating_label="6: marginally above the acceptance threshold",
                    confidence=4,
                    confidence_label="4: You are confident in your assessment",
                    scores=scores,
                    featured=review < 2 and field == "strengths",
                    order=order,
                )
            )
            order += 1
    for kind, field in (("meta_review", "metareview"), ("decision", "comment")):
        excerpts.append(
            PeerReviewExcerpt(
                paper=paper,
                source_kind=kind,
                note_id=f"{tag}-{kind}",
                reviewer_label="Area Chair x1",
                field=field,
                text=PARAGRAPH * 3,
                text_html=excerpt_html(PARAGRAPH * 3),
                order=order,
            )
        )
        order += 1
    PeerReviewExcerpt.objects.bulk_create(excerpts)
    refresh_paper_pages(paper_ids=[paper.pk])  # bulk_create sends no post_save
    return paper.get_absolute_url()


def build_keynote():
    """A listed keynote whose speaker is an author here (the page links them)."""
    from papers.models import Conference
    from reviews.models import Keynote

    conference = Conference.objects.get(short_name="BENCH", year=2024)
    Keynote.objects.filter(conference=conference).delete()
    keynote = Keynote.objects.create(
        conference=conference,
        speaker="Bench Author 0",
        affiliation="Lab",
        title="Bench keynote: what scaling laws do not tell us",
        summary=PARAGRAPH * 4,
        listed=True,
    )
    return keynote.get_absolute_url()


def median_ms(client, url, repeat, clock):
    times = []
    for _ in range(repeat):
        started = clock()
        response = client.get(url)
        times.append(clock() - started)
    assert response.status_code == 200, (url, response.status_code)
    return round(statistics.median(times) * 1000, 2), len(response.content)


def count_queries(connection, action) -> int:
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        action()
    return len(sent)


def profile(client, url, repeat, *, top=30):
    """The cProfile entries that cost the page most, by cumulative and by own CPU time."""
    import cProfile
    import pstats

    client.get(url)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(repeat):
        client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument(
        "--profile",
        choices=("2", "20", "keynote"),
        metavar="PAGE",
        help="cProfile the paper page with 2 or 20 reviews, or the keynote page, and stop",
    )
    args = parser.parse_args()
    create_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    urls = {str(reviews): build(reviews, f"r{reviews}") for reviews in (2, 20)}
    urls["keynote"] = build_keynote()
    # Search vectors as production has them (bulk writes send no signal): rows carry them.
    call_command("rebuild_search_index", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    if args.profile:
        profile(client, urls[args.profile], args.repeat)
        return
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print("| page (reviews) | queries | KB | CPU ms (median) | wall ms (median) |")
    print("|---:|---:|---:|---:|---:|")
    for page, url in urls.items():
        client.get(url)  # warm: templates compiled, connection open
        queries = count_queries(connection, lambda: client.get(url))  # noqa: B023
        cpu, size = median_ms(client, url, args.repeat, time.process_time)
        wall, _ = median_ms(client, url, args.repeat, time.perf_counter)
        print(f"| {page} | {queries} | {size / 1024:.1f} | {cpu} | {wall} |")


if __name__ == "__main__":
    main()
