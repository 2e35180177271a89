from django.db import migrations

CREATE = [
    "CREATE INDEX taggedpaper_tag_keys ON papers_taggedpaper (tag_id, content_object_id)",
    "CREATE INDEX taggedpost_tag_keys ON reviews_taggedpost (tag_id, content_object_id)",
]
DROP = ["DROP INDEX taggedpaper_tag_keys", "DROP INDEX taggedpost_tag_keys"]


def on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    """PostgreSQL: a tag's papers and posts in an index-only scan, for the search's tag filter
    (search.kinds), which reads the tagged keys before the text match."""

    dependencies = [("search", "0002_public_row_indexes")]

    operations = [migrations.RunPython(on_postgres(CREATE), on_postgres(DROP))]
