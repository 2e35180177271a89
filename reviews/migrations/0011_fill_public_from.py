from django.db import migrations


def fill(apps, schema_editor):
    from reviews.visibility import refresh_public_flags

    refresh_public_flags(apps=apps)


def empty(apps, schema_editor):
    apps.get_model("reviews", "PublicTopic").objects.all().delete()
    for label in ("papers.Paper", "papers.Conference", "papers.Author", "reviews.Keynote"):
        apps.get_model(label).objects.update(public_from=None)


class Migration(migrations.Migration):
    """Store the public flags that reviews.visibility used to compute per request."""

    dependencies = [
        ("papers", "0012_public_from"),
        ("reviews", "0010_public_from"),
    ]

    operations = [migrations.RunPython(fill, empty)]
