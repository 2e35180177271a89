"""The editorial roles, kept in sync with the models after every migrate.

Curators edit everything and publish; contributors write and edit their own drafts only. The
object-level half of the rule (whose post, which status) is in reviews.workflow.rules.
"""

from django.contrib.auth.models import Group, Permission

CURATORS = "Curators"
CONTRIBUTORS = "Contributors"
PUBLISH_PERMISSION = "reviews.publish_post"

CURATOR_MODELS = {
    "reviews": ["post", "section", "entry", "galleryimage", "keynote", "keynotevideo"],
    "papers": [
        "conference",
        "paper",
        "author",
        "authorship",
        "paperlink",
        "papervideo",
        "peerreviewexcerpt",
    ],
    "taggit": ["tag"],
}
CONTRIBUTOR_EDITS = {"reviews": ["post", "section", "entry", "galleryimage"]}


def curator_permissions():
    codenames = Permission.objects.none()
    for app_label, models in CURATOR_MODELS.items():
        codenames |= Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=models
        )
    return codenames


def contributor_permissions():
    """Add/change/delete on the post's own parts, view on the rest; never publish_post."""
    permissions = curator_permissions().filter(codename__startswith="view_")
    for app_label, models in CONTRIBUTOR_EDITS.items():
        permissions |= Permission.objects.filter(
            content_type__app_label=app_label,
            content_type__model__in=models,
            codename__regex=r"^(add|change|delete|view)_",
        )
    return permissions


def sync_curator_group(**kwargs):
    group, _ = Group.objects.get_or_create(name=CURATORS)
    group.permissions.set(curator_permissions())
    contributors, _ = Group.objects.get_or_create(name=CONTRIBUTORS)
    contributors.permissions.set(contributor_permissions())
