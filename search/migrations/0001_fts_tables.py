from django.db import migrations

KINDS = ["paper", "post", "entry", "keynote", "review"]
CREATE = [
    *(
        f"CREATE VIRTUAL TABLE search_{kind}_fts USING fts5("
        "title, names, body, tokenize='porter unicode61 remove_diacritics 2')"
        for kind in KINDS
    ),
    "CREATE TABLE search_word (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE search_word_fts USING fts5(word, content='', tokenize='trigram')",
]
DROP = [
    *(f"DROP TABLE search_{kind}_fts" for kind in KINDS),
    "DROP TABLE search_word",
    "DROP TABLE search_word_fts",
]


def on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    """SQLite's FTS5 tables (see search.fts); a no-op on PostgreSQL, whose vectors are columns.

    `manage.py rebuild_search_index` fills them.
    """

    initial = True

    dependencies = [
        ("papers", "0004_paper_title_vector"),
        ("reviews", "0001_initial"),
    ]

    operations = [migrations.RunPython(on_sqlite(CREATE), on_sqlite(DROP))]
