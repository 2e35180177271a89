"""In-process time of the Markdown import of the example post (not part of the suite).

The target (issue 17): under 50 ms median on PostgreSQL. Imports
tests/fixtures/posts/jekyll-post-example.md through `import_post` with production settings,
DEBUG off, into the database BENCH_DATABASE_URL names (default: PostgreSQL on 127.0.0.1,
database cr_import_bench, created and migrated if missing; `--sqlite` uses a fresh SQLite file).

    .venv/bin/python bench/import_post.py [--repeat 50] [--sqlite] [--profile]

Two cases, each import inside a transaction that is rolled back so every run starts alike:
"new" (nothing of the post exists: conference, keynotes and papers are created) and "update"
(the post and its papers exist; `update=True` replaces its content). Medians of this
process's CPU time (the database server's work not counted) and of wall time, and the queries
one import sends. Tasks use the database backend (django-tasks-db, production's default
without Redis): an enqueue is one INSERT in the import's transaction, and the work itself
(renditions) is not on the request path. `--profile` prints cProfile's top functions of the
"new" case, in this process's CPU time.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="cr-import-bench-"))
EXAMPLE = ROOT / "tests" / "fixtures" / "posts" / "jekyll-post-example.md"


def configure(sqlite: bool) -> str:
    url = (
        f"sqlite:///{WORK / 'bench.sqlite3'}"
        if sqlite
        else os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cr_import_bench"
        )
    )
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": url,
            "TASK_BACKEND": "database",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver",
            "STATIC_ROOT": str(WORK / "static"),
            "MEDIA_ROOT": str(WORK / "media"),
            "LOG_LEVEL": "ERROR",
        }
    )
    os.environ.pop("REDIS_URL", None)
    return url


def create_database(url: str):
    """CREATE DATABASE when the PostgreSQL one is missing (SQLite files create themselves)."""
    if not url.startswith("postgres"):
        return
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def rolled_back():
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def timed(action, repeat: int, clock) -> float:
    times = []
    for _ in range(repeat):
        with rolled_back():
            started = clock()
            action()
            times.append(clock() - started)
    return round(statistics.median(times) * 1000, 2)


def count_queries(connection, action) -> int:
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record), rolled_back():
        action()
    return len(sent)


def reset():
    """Remove what the example's import creates (its post, conference, keynotes and papers)."""
    from papers.models import Conference, Paper
    from reviews.models import Keynote, Post

    conference = Conference.objects.filter(short_name="NeurIPS", year=2023)
    Post.objects.filter(slug="jekyll-post-example").delete()
    Keynote.objects.filter(conference__in=conference).delete()
    Paper.objects.filter(conference__in=conference).delete()
    conference.delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--sqlite", action="store_true", help="a fresh SQLite file instead")
    parser.add_argument("--profile", action="store_true", help="cProfile the new import")
    args = parser.parse_args()
    url = configure(args.sqlite)
    create_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from reviews.markdown.importer import MarkdownSource, import_post

    call_command("migrate", verbosity=0, interactive=False)
    reset()
    source = MarkdownSource(EXAMPLE.name, EXAMPLE.read_bytes())

    def new():
        import_post(source=source)

    def update():
        import_post(source=source, update=True)

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print("| import | queries | CPU ms (median) | wall ms (median) |")
    print("|---|---:|---:|---:|")
    with rolled_back():
        new()  # warm: templates compiled, connection open
    queries = count_queries(connection, new)
    cpu = timed(new, args.repeat, time.process_time)
    wall = timed(new, args.repeat, time.perf_counter)
    print(f"| new | {queries} | {cpu} | {wall} |")
    import_post(source=source)  # committed: the update case replaces it
    queries = count_queries(connection, update)
    cpu = timed(update, args.repeat, time.process_time)
    wall = timed(update, args.repeat, time.perf_counter)
    print(f"| update | {queries} | {cpu} | {wall} |")
    reset()
    if args.profile:
        profile = cProfile.Profile(time.process_time)  # CPU time: the server's wait left out
        for _ in range(args.repeat):
            with rolled_back():
                profile.runcall(new)
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("tottime").print_stats(15)
        stats.sort_stats("cumulative").print_stats(
            r"/(reviews|core|search|papers)/|markdown|nh3", 30
        )
        print(out.getvalue())


if __name__ == "__main__":
    main()
