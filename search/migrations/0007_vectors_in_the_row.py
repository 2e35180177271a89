from django.db import migrations

TABLES = ["papers_paper", "reviews_post"]
FORWARD = [f"ALTER TABLE {t} ALTER COLUMN search_vector SET STORAGE MAIN" for t in TABLES]
BACKWARD = [f"ALTER TABLE {t} ALTER COLUMN search_vector SET STORAGE EXTENDED" for t in TABLES]


def on_postgres(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    """PostgreSQL: papers' and posts' vectors stay in their row (compressed), and the long text
    columns move to TOAST instead. A search reads the newest matches in key order and checks
    each row's vector (search.facets.recent_matches): with the vector out of line every row
    checked cost a TOAST lookup (posts on cr_bench5, 'docking -ligand', 4,477 rows checked:
    15,239 buffers and 34-38 ms, then 1,759 buffers and 10-15 ms).

    Only vectors written afterwards are stored so: `manage.py rebuild_search_index` rewrites
    the existing ones (minutes at 100,000 papers, so not in this migration).
    """

    dependencies = [("search", "0006_serial_excerpt_scans")]

    operations = [migrations.RunPython(on_postgres(FORWARD), on_postgres(BACKWARD))]
