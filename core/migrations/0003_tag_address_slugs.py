"""Tags stored with a slug their page's address does not take (taggit's unicode or empty
slugs) get an ASCII one, as core.tag_slugs gives new tags."""

import re

from django.db import migrations
from django.utils.text import slugify

ADDRESS_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def fit_slugs(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    taken = set(Tag.objects.values_list("slug", flat=True))
    room = Tag._meta.get_field("slug").max_length - 8
    for tag in Tag.objects.order_by("pk"):
        if ADDRESS_SLUG.fullmatch(tag.slug):
            continue
        base = slugify(tag.name)[:room].strip("-_") or "tag"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        Tag.objects.filter(pk=tag.pk).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_constraint_messages"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(fit_slugs, migrations.RunPython.noop)]
