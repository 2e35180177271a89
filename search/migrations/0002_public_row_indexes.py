from django.db import migrations

# The papers reviews.visibility.public_condition() can let through: listed, or flagged public
# (now or when a scheduled post is due); and the posts published() can. A query applying the
# rule implies the predicate, so PostgreSQL may read these indexes for it.
PUBLIC_PAPER = "listed OR public_from IS NOT NULL"
CREATE = [
    "CREATE INDEX paper_public_search_vector ON papers_paper USING gin (search_vector) "
    f"WHERE {PUBLIC_PAPER}",
    "CREATE INDEX paper_public_title_vector ON papers_paper USING gin (title_vector) "
    f"WHERE {PUBLIC_PAPER}",
    "CREATE INDEX paper_public ON papers_paper (id) INCLUDE (listed, public_from) "
    f"WHERE {PUBLIC_PAPER}",
    "CREATE INDEX post_published ON reviews_post (id) INCLUDE (published_at) "
    "WHERE status = 'published'",
]
DROP = [
    "DROP INDEX paper_public_search_vector",
    "DROP INDEX paper_public_title_vector",
    "DROP INDEX paper_public",
    "DROP INDEX post_published",
]


def on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    """PostgreSQL: the papers' vectors indexed again for the public rows only, and the keys of
    public papers and published posts. A search matches and ranks public papers without
    reading the others (most papers of an imported venue are in no published post), and an
    entry or excerpt finds its post or paper public in a small index, without its row. The full
    indexes stay for the admin's search over every paper.
    """

    dependencies = [
        ("papers", "0012_public_from"),
        ("reviews", "0001_initial"),
        ("search", "0001_fts_tables"),
    ]

    operations = [migrations.RunPython(on_postgres(CREATE), on_postgres(DROP))]
