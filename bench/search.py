"""Search benchmark: 100,000 papers and 10,000 posts, 50 fixed queries, on both databases.

    .venv/bin/python bench/search.py                # PostgreSQL; reuses the data if it is there
    .venv/bin/python bench/search.py --sqlite       # the same on SQLite (artifacts/)
    .venv/bin/python bench/search.py --regenerate   # drops and regenerates it (a few minutes)
    .venv/bin/python bench/search.py --json         # the figures as JSON, for bench/run.py
    .venv/bin/python bench/search.py --sqlite --scale 0.1   # a tenth of the data (own file)
    .venv/bin/python bench/search.py --suggest-only  # suggestions only (and after a save)

`make bench` calls `run_search_bench()`, which runs this file once per database in a fresh
process (the database is chosen before Django starts) and returns the figures.

PostgreSQL uses its own database (DATABASE_URL, default cr_bench5, created if missing), SQLite
artifacts/bench-search.sqlite3. Nine papers in ten are listed (public with no post), the tenth
only when a published post features it. Data is written in bulk (COPY on PostgreSQL), its public
flags refreshed and indexed once with `rebuild_search_index`, as a bulk import would. Reports p50 and p95 of
`search.query.search()` (every SQL query a results page needs), of the search page through
Django's test client, of the suggestions endpoint, and of a static file as a baseline.
"""

import argparse
import datetime
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/cr_bench5"
SQLITE_PATH = ROOT / "artifacts" / "bench-search.sqlite3"

PAPERS, POSTS, AUTHORS, KEYNOTES, EXCERPTS = 100_000, 10_000, 30_000, 300, 20_000
ENTRY_POSTS, ENTRIES_PER_POST = 2_000, 5
SEED = 20231210
ROUNDS = 3


def scale_dataset(factor: float) -> None:
    """Shrink (or grow) the generated data by `factor`; SQLite then uses a file of its own."""
    global PAPERS, POSTS, AUTHORS, EXCERPTS, ENTRY_POSTS, SQLITE_PATH
    if factor == 1:
        return
    PAPERS, POSTS = int(PAPERS * factor), int(POSTS * factor)
    AUTHORS, EXCERPTS = int(AUTHORS * factor), int(EXCERPTS * factor)
    ENTRY_POSTS = min(int(ENTRY_POSTS * factor), POSTS)
    SQLITE_PATH = SQLITE_PATH.with_name(f"bench-search-{PAPERS}.sqlite3")


def wordlist(text):
    return text.split()


FIRST = wordlist(
    "Ada Alan Amara Ana Anders Ayesha Bao Beatriz Carlos Chen Chiara Dmitri Elena Emeka Farah "
    "Felix Grace Hana Hiro Ines Ivan Jamal Jana Jin Jonas Kai Kamala Lars Leila Lena Lucia Mahmoud "
    "Maria Mateo Mei Mina Nadia Noah Nora Olga Omar Pablo Priya Rafael Ravi Rosa Sara Sean Sofia "
    "Tariq Teresa Tomas Uma Victor Wei Xin Yara Yusuf Zoe"
)
LAST = wordlist(
    "Abbott Adeyemi Alvarez Andersen Bauer Becker Bianchi Brandt Castro Chandra Costa Dubois "
    "Eriksson Fischer Fonseca Garcia Gupta Haddad Hansen Hoffmann Ibrahim Ivanova Jensen Kaur "
    "Keller Kim Kowalski Kumar Larsen Lee Lindqvist Lopez Meyer Moreau Nakamura Nguyen Novak "
    "Okafor Olsen Park Patel Petrov Quinn Rahman Rossi Sato Schmidt Silva Singh Suzuki Tanaka "
    "Torres Varga Wagner Wang Weber Yamamoto Yilmaz Zhang Zimmermann Nowak Horvat Lindberg Mensah "
    "Ogunleye Papadopoulos Rasmussen Sorensen Takahashi Vasquez Watanabe Xu Yoshida Ziegler "
    "Acharya Banerjee Chowdhury Dasgupta Eze Falk Gallo Hakimi Iyer Jovanovic Khalil Lozano "
    "Mukherjee Nilsen Ortiz Pereira Reyes Saito Tran Umarov Vogel Winter Young Zeller Ambrose"
)
TOPICS = wordlist(
    "protein genomics drug-discovery single-cell imaging ehr causal-inference diffusion "
    "language-models reinforcement-learning graphs benchmarks fairness privacy robustness "
    "time-series molecules pathology neuroscience epidemiology"
)
# Frequent words first: drawn with Zipf weights, so a few are in most abstracts.
WORDS = wordlist(
    "model learning data method results show propose performance training approach network "
    "neural task tasks deep using based large models framework representation sequence protein "
    "structure prediction graph features generative diffusion language accuracy benchmark "
    "datasets dataset clinical patients cell cells gene genes expression molecular molecule "
    "drug design binding inference causal treatment effect outcome robust efficient scalable "
    "transformer attention embedding latent variational bayesian uncertainty calibration "
    "sampling optimization gradient loss objective supervised unsupervised contrastive "
    "pretraining finetuning transfer domain shift generalization evaluation baseline "
    "experiments improvement state art significant analysis theoretical guarantees bounds "
    "convergence regret policy reward agent environment simulation physics dynamics temporal "
    "spatial imaging segmentation detection classification regression survival hazard risk "
    "electronic health records hospital medical diagnosis radiology pathology histology "
    "genomic genome variant mutation phenotype genotype single nucleotide chromatin "
    "transcription regulatory enhancer promoter splicing rna dna antibody antigen epitope "
    "ligand pocket docking affinity folding backbone residue sequence alignment homology "
    "evolutionary fitness landscape mutational scanning assay screening library synthesis "
    "reaction retrosynthesis catalyst material crystal lattice energy force field quantum "
    "chemistry conformer equivariant invariant symmetry rotation translation point cloud "
    "mesh voxel manifold geometric topological persistent homology kernel gaussian process "
    "spectral wavelet fourier convolution recurrent memory context window long range "
    "hierarchical multiscale resolution interpretability explanation attribution saliency "
    "concept counterfactual fairness bias privacy federated differential secure adversarial "
    "attack defense certified verification sparse pruning quantization distillation "
    "compression hardware accelerator throughput latency memory footprint parameter "
    "population cohort trial randomized observational confounding instrumental propensity "
    "matching estimator identification discovery ecology climate weather forecasting "
    "epidemic transmission vaccine pathogen microbiome metagenomic neuron spike brain cortex "
    "recording electrode behavior navigation"
)
METHOD_PARTS = wordlist(
    "hy en a mam ba flu x pro te o gen ra zor cell vi ta neo sig ma ka lo tri qua dra bio mo le "
    "cu ar ch on ix el ly ra go fa bi nd ab di ff us er dock ro se tta om ni po ly"
)
METHOD_SUFFIXES = ["", "", "DNA", "Net", "GPT", "Former", "Diff", "Fold", "Bind", "Gym", "BERT"]
TITLE_SHAPES = [
    "{m}: {a} {b} for {c} {d}",
    "{m}: Towards {a} {b} with {c} {d}",
    "{a} {b} via {c} {d}",
    "On the {a} of {b} {c}",
    "{m}: Learning {a} {b} from {c}",
]


def method_name(i):
    rng = random.Random(SEED * 7 + i)
    core = "".join(rng.choice(METHOD_PARTS) for _ in range(rng.randint(2, 3))).capitalize()
    return core + rng.choice(METHOD_SUFFIXES)


def author_name(j):
    return f"{FIRST[j % len(FIRST)]} {LAST[(j // len(FIRST)) % len(LAST)]}" + (
        f" {chr(65 + j // (len(FIRST) * len(LAST)))}." if j >= len(FIRST) * len(LAST) else ""
    )


def ensure_database():
    if os.environ["DATABASE_URL"].startswith("sqlite"):
        SQLITE_PATH.parent.mkdir(exist_ok=True)
        return
    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/")
    import psycopg

    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def naive_utc(value):
    """Datetimes as Django stores them on SQLite: naive, in UTC."""
    if isinstance(value, datetime.datetime) and value.tzinfo:
        return value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value


def copy_rows(cursor, table, columns, rows):
    """COPY rows into `table` (INSERT on SQLite); columns the rows leave out get their model
    field's default."""
    from django.apps import apps
    from django.db import connection

    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    missing = [
        f
        for f in model._meta.concrete_fields
        if f.column not in columns and not f.primary_key and not f.null
    ]
    defaults = []
    for field in missing:
        value = field.get_default()
        defaults.append(json.dumps(value) if isinstance(value, (dict, list)) else value)
    quoted = ", ".join(f'"{c}"' for c in [*columns, *(f.column for f in missing)])
    if connection.vendor == "sqlite":
        marks = ", ".join(["%s"] * (len(columns) + len(missing)))
        batch = []
        for row in rows:
            batch.append([naive_utc(value) for value in [*row, *defaults]])
            if len(batch) == 5000:
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", batch)
        return
    with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([*row, *defaults])


def generate():
    from django.db import connection, transaction

    from papers.models import Conference
    from reviews.visibility import refresh_public_flags
    from search.index_reviews import rebuild_search_index

    rng = random.Random(SEED)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(WORDS))))

    def words(n):
        return " ".join(rng.choices(WORDS, cum_weights=weights, k=n))

    now = datetime.datetime.now(tz=datetime.UTC)
    tables = [
        *("reviews_entry", "reviews_section", "reviews_keynote", "reviews_taggedpost"),
        *("reviews_post", "papers_peerreviewexcerpt", "papers_taggedpaper", "papers_authorship"),
        *("papers_paper", "papers_author", "taggit_tag", "papers_conference"),
    ]
    sqlite = connection.vendor == "sqlite"
    with transaction.atomic(), connection.cursor() as cursor:
        if sqlite:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute("DELETE FROM sqlite_sequence")
        else:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        conferences = Conference.objects.bulk_create(
            Conference(short_name=name, year=year, slug=f"{name.lower()}-{year}")
            for name in ("NeurIPS", "ICML", "ICLR", "CVPR", "MLHC")
            for year in (2021, 2022, 2023, 2024)
        )
        conference_ids = [c.pk for c in conferences]
        copy_rows(
            cursor,
            "taggit_tag",
            ["id", "name", "slug"],
            ((i + 1, t, t) for i, t in enumerate(TOPICS)),
        )
        copy_rows(
            cursor,
            "papers_author",
            ["id", "name", "slug"],
            ((j + 1, author_name(j), f"author-{j + 1}") for j in range(AUTHORS)),
        )
        paper_rows, authorship_rows, tagged_rows = [], [], []
        for i in range(1, PAPERS + 1):
            shape = TITLE_SHAPES[i % len(TITLE_SHAPES)]
            a, b, c, d = (w.capitalize() for w in rng.sample(WORDS[:200], 4))
            title = shape.format(m=method_name(i), a=a, b=b, c=c, d=d)
            paper_rows.append(
                (
                    i,
                    conference_ids[i % len(conference_ids)],
                    title,
                    f"paper-{i}",
                    words(rng.randint(100, 180)),
                    words(rng.randint(15, 30)),
                    "",
                    "[]",
                    "",
                    i % 10 != 0,
                    now,
                    now,
                )
            )
            for order, author in enumerate(rng.sample(range(1, AUTHORS + 1), rng.randint(1, 5))):
                authorship_rows.append((i, author, order, "Example University"))
            tagged_rows.append((i, i % len(TOPICS) + 1))
        copy_rows(
            cursor,
            "papers_paper",
            [
                *("id", "conference_id", "title", "slug", "abstract", "tldr", "contribution"),
                *("findings", "decision", "listed", "created_at", "updated_at"),
            ],
            paper_rows,
        )
        copy_rows(
            cursor,
            "papers_authorship",
            ["paper_id", "author_id", "order", "affiliation"],
            authorship_rows,
        )
        copy_rows(cursor, "papers_taggedpaper", ["content_object_id", "tag_id"], tagged_rows)
        copy_rows(
            cursor,
            "papers_peerreviewexcerpt",
            [
                *("paper_id", "source_kind", "reviewer_label", "rating_scale", "text"),
                *("source_url", "featured", "order"),
            ],
            (
                (
                    rng.randint(1, PAPERS),
                    "official_review",
                    f"Reviewer {k}",
                    10,
                    words(60),
                    "",
                    k % 2 == 0,
                    k,
                )
                for k in range(EXCERPTS)
            ),
        )
        copy_rows(
            cursor,
            "reviews_keynote",
            ["conference_id", "speaker", "affiliation", "title", "summary", "video_url"],
            (
                (
                    conference_ids[k % len(conference_ids)],
                    author_name(AUTHORS + k),
                    "Institute",
                    f"Keynote {k}: " + words(6).title(),
                    words(80),
                    "",
                )
                for k in range(KEYNOTES)
            ),
        )
        post_rows = []
        for k in range(1, POSTS + 1):
            draft = k % 10 == 0
            post_rows.append(
                (
                    k,
                    f"{words(4).title()} review {k}",
                    words(10),
                    f"post-{k}",
                    conference_ids[k % len(conference_ids)],
                    author_name(k),
                    "",
                    "",
                    "",
                    "",
                    words(rng.randint(150, 400)),
                    words(60),
                    "",
                    False,
                    "draft" if draft else "published",
                    None if draft else now - datetime.timedelta(hours=k),
                    now,
                    now,
                )
            )
        copy_rows(
            cursor,
            "reviews_post",
            [
                *("id", "title", "subtitle", "slug", "conference_id", "author_name"),
                *("cover_image", "cover_image_url", "social_url", "reading_time", "intro"),
                *("conclusion", "disclaimer", "comments", "status", "published_at"),
                *("created_at", "updated_at"),
            ],
            post_rows,
        )
        copy_rows(
            cursor,
            "reviews_taggedpost",
            ["content_object_id", "tag_id"],
            ((k, k % len(TOPICS) + 1) for k in range(1, POSTS + 1)),
        )
        copy_rows(
            cursor,
            "reviews_section",
            ["id", "post_id", "title", "order"],
            ((k, k, "Selected papers", 0) for k in range(1, ENTRY_POSTS + 1)),
        )
        copy_rows(
            cursor,
            "reviews_entry",
            [
                *("section_id", "order", "kind", "paper_id", "heading", "summary"),
                *("link_url", "link_label"),
            ],
            (
                (k, n, "paper", rng.randint(1, PAPERS), "", words(70), "", "[Paper link]")
                for k in range(1, ENTRY_POSTS + 1)
                for n in range(ENTRIES_PER_POST)
            ),
        )
        for table in (
            ()
            if sqlite
            else (
                "papers_author",
                "papers_paper",
                "reviews_post",
                "reviews_section",
                "taggit_tag",
            )
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, or the vector UPDATE scans per row
    start = time.perf_counter()
    with transaction.atomic():
        refresh_public_flags()  # COPY bypasses the signals: papers in published posts go public
        rebuild_search_index()
    print(f"rebuild_search_index: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if sqlite else "VACUUM ANALYZE")


def queries():
    """50 fixed queries: method names, authors, topics, syntax, typos, filters."""
    methods = [method_name(i) for i in (7, 1234, 4242, 9999, 23456, 50001, 77777, 99999)]
    authors = [author_name(j) for j in (3, 150, 999, 4321, 12345, 29999)]
    topical = [
        "long range dna model",
        "protein ligand docking",
        "single cell chromatin",
        "survival hazard electronic health records",
        "equivariant point cloud",
        "antibody epitope",
        "retrosynthesis catalyst",
        "federated privacy hospital",
        "wavelet spectral kernel",
        "microbiome metagenomic",
        "vaccine epidemic forecasting",
        "spike cortex recording",
        "quantization accelerator latency",
    ]
    syntax = [
        '"single nucleotide"',
        '"point cloud" -mesh',
        "antibody or antigen",
        '"long range" transformer',
        "docking -ligand",
        "crystal or lattice or conformer",
        '"gaussian process" regression',
    ]
    typos = [m[:-1] + "q" for m in methods[:4]] + [authors[1].split()[-1][:-1] + "x"]
    filtered = [
        ("protein", {"conference": "neurips-2023"}),
        ("genomic variant", {"year": 2022}),
        ("diffusion", {"tag": "diffusion"}),
        ("causal treatment", {"kind": "post"}),
        ("attention", {"kind": "keynote"}),
        ("model", {}),
        ("learning", {"kind": "paper"}),
        ("deep neural network", {}),
        ("benchmark dataset", {"conference": "iclr-2024"}),
        ("fitness landscape", {"tag": "protein", "year": 2023}),
        ("Keynote 42", {}),
    ]
    plain = [(q, {}) for q in methods + authors + topical + syntax + typos]
    return (plain + filtered)[:50]


def percentile(samples, p):
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def timed(fn):
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def suggestion_prefixes():
    """50 prefixes as a reader types them: of method names, authors, topics and tags."""
    words = [method_name(i) for i in (7, 1234, 4242, 9999, 23456)]
    words += [author_name(j) for j in (3, 150, 999, 4321, 12345)]
    words += ["protein", "genomic", "diffusion", "single-cell", "transformer", "neurips"]
    prefixes = [word[:n] for word in words for n in (2, 3, 5)]
    return (prefixes + [w.split()[0] for w in words])[:50]


def measure(*, regenerate=False, suggest_only=False) -> dict:
    """Generate the data if needed, then time the 50 queries; returns the figures.

    `suggest_only` times the suggestions alone (and the first one after a change).
    """
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from papers.models import Paper
    from reviews.models import Post
    from search.query import search
    from search.suggest import suggest

    call_command("migrate", verbosity=0)
    if regenerate or Paper.objects.count() != PAPERS:
        start = time.perf_counter()
        generate()  # prints the time of its rebuild_search_index step
        print(f"generated and indexed in {time.perf_counter() - start:.0f} s", file=sys.stderr)

    fixed = queries()
    assert len(fixed) == 50, len(fixed)
    client = Client()
    static = "/static/css/site.css"

    def page(q, opts):
        params = {"q": q, **{("type" if k == "kind" else k): v for k, v in opts.items()}}
        response = client.get("/search/", params)
        assert response.status_code == 200, (q, response.status_code)

    def fetch_static():
        response = client.get(static)
        assert response.status_code == 200
        b"".join(response.streaming_content)

    if suggest_only:
        fixed = fixed[:1]
    hits = {q: search(query=q, **opts).total for q, opts in fixed}  # warm-up, and counts
    for q, opts in fixed:
        page(q, opts)
    prefixes = suggestion_prefixes()
    for prefix in prefixes:
        suggest(query=prefix)
    raw, pages, statics, suggestions = [], [], [], []
    for _ in range(ROUNDS):
        for q, opts in fixed:
            raw.append(timed(lambda q=q, opts=opts: search(query=q, **opts)))
            pages.append(timed(lambda q=q, opts=opts: page(q, opts)))
            statics.append(timed(fetch_static))
        for prefix in prefixes:
            suggestions.append(timed(lambda prefix=prefix: suggest(query=prefix)))
    # A curator's save, then the next reader's suggestion: what a change costs a reader.
    Post.objects.published().order_by("pk").first().save()
    after_change = timed(lambda: suggest(query=prefixes[0]))
    slowest = sorted(
        ((statistics.median(raw[i :: len(fixed)]), q, hits[q]) for i, (q, _) in enumerate(fixed)),
        reverse=True,
    )[:5]

    def summary(samples):
        return {"p50_ms": percentile(samples, 50), "p95_ms": percentile(samples, 95)}

    return {
        "database": connection.vendor,
        "papers": Paper.objects.count(),
        "posts": Post.objects.count(),
        "published_posts": Post.objects.published().count(),
        "queries": len(fixed),
        "rounds": ROUNDS,
        "results_median": statistics.median(hits.values()),
        "results_max": max(hits.values()),
        "search": summary(raw),
        "page": summary(pages),
        "suggest": summary(suggestions),
        "suggest_after_change_ms": after_change,
        "static": summary(statics),
        "slowest": [{"ms": ms, "query": q, "results": n} for ms, q, n in slowest],
    }


def report(figures) -> str:
    lines = [
        f"{figures['database']}: {figures['papers']} papers, {figures['posts']} posts "
        f"({figures['published_posts']} published); {figures['queries']} queries x "
        f"{figures['rounds']} rounds; results per query: median {figures['results_median']:.0f}, "
        f"max {figures['results_max']}"
    ]
    for label, key in (
        ("search() query", "search"),
        ("search page (test client)", "page"),
        ("suggestions (suggest())", "suggest"),
        ("static file (test client)", "static"),
    ):
        lines.append(
            f"  {label:<28} p50 {figures[key]['p50_ms']:7.1f} ms   "
            f"p95 {figures[key]['p95_ms']:7.1f} ms"
        )
    lines.append(
        f"  {'first suggestion after a save':<28} {figures['suggest_after_change_ms']:7.1f} ms"
    )
    lines.append("  slowest queries (median ms, results):")
    lines += [f"    {s['ms']:7.1f}  {s['results']:>6}  {s['query']}" for s in figures["slowest"]]
    return "\n".join(lines)


def run_search_bench(*, databases=("postgresql", "sqlite"), regenerate=False) -> list[dict]:
    """The figures on each database, each measured in its own process (for bench/run.py)."""
    results = []
    for database in databases:
        args = [sys.executable, __file__, "--json", *(["--sqlite"] if database == "sqlite" else [])]
        if regenerate:
            args.append("--regenerate")
        output = subprocess.run(args, check=True, capture_output=True, text=True, cwd=ROOT)
        results.append(json.loads(output.stdout))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regenerate", action="store_true", help="drop and regenerate the data")
    parser.add_argument("--sqlite", action="store_true", help="measure SQLite, not PostgreSQL")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--scale", type=float, default=1.0, help="data size factor (1: 100k)")
    parser.add_argument("--suggest-only", action="store_true", help="time suggestions alone")
    args = parser.parse_args()
    scale_dataset(args.scale)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    else:
        os.environ.setdefault("DATABASE_URL", POSTGRES_URL)
    ensure_database()
    figures = measure(regenerate=args.regenerate, suggest_only=args.suggest_only)
    print(json.dumps(figures, indent=2) if args.json else report(figures))


if __name__ == "__main__":
    main()
