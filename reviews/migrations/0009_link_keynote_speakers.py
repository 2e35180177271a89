"""Link every keynote to its speaker's Author record by the rule pages used until now: the
author whose name is exactly the keynote's speaker (the oldest such record)."""

from django.db import migrations


def link(apps, schema_editor):
    Author = apps.get_model("papers", "Author")
    Keynote = apps.get_model("reviews", "Keynote")
    KeynoteSpeaker = apps.get_model("reviews", "KeynoteSpeaker")
    by_name = {}
    for pk, name in Author.objects.order_by("-pk").values_list("pk", "name"):
        by_name[name] = pk  # the lowest pk wins
    links = [
        KeynoteSpeaker(keynote_id=pk, author_id=by_name[speaker], order=0, affiliation=affiliation)
        for pk, speaker, affiliation in Keynote.objects.values_list("pk", "speaker", "affiliation")
        if speaker in by_name
    ]
    KeynoteSpeaker.objects.bulk_create(links, batch_size=1000)


def unlink(apps, schema_editor):
    apps.get_model("reviews", "KeynoteSpeaker").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0008_keynote_speakers")]

    operations = [migrations.RunPython(link, unlink)]
