from django.db import migrations

# Each index starts with the row's key and holds what the visibility rule and the filters read,
# so a search checks a matching row without reading the row itself (a post's row spans overflow
# pages of text).
CREATE = [
    "CREATE INDEX paper_search_probe ON papers_paper "
    "(id, listed, public_from, conference_id, outcome)",
    "CREATE INDEX post_search_probe ON reviews_post (id, status, published_at, conference_id)",
    "CREATE INDEX entry_search_probe ON reviews_entry (id, section_id, paper_id)",
    "CREATE INDEX section_search_probe ON reviews_section (id, post_id)",
    "CREATE INDEX excerpt_search_probe ON papers_peerreviewexcerpt (id, hidden, paper_id)",
    "CREATE INDEX taggedpaper_tag_keys ON papers_taggedpaper (tag_id, content_object_id)",
    "CREATE INDEX taggedpost_tag_keys ON reviews_taggedpost (tag_id, content_object_id)",
]
DROP = [
    "DROP INDEX paper_search_probe",
    "DROP INDEX post_search_probe",
    "DROP INDEX entry_search_probe",
    "DROP INDEX section_search_probe",
    "DROP INDEX excerpt_search_probe",
    "DROP INDEX taggedpaper_tag_keys",
    "DROP INDEX taggedpost_tag_keys",
]


def on_sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    """SQLite: covering indexes for the check of each FTS5 match against its visible rows
    (search.fts.matching_ids): the key, the visibility rule's columns and the filters' keys."""

    dependencies = [
        ("papers", "0012_public_from"),
        ("reviews", "0010_public_from"),
        ("search", "0004_suggestions"),
    ]

    operations = [migrations.RunPython(on_sqlite(CREATE), on_sqlite(DROP))]
