"""The editorial roles, kept in sync with the models after every migrate."""

from django.contrib.auth.models import Group, Permission

CURATORS = "Curators"

CURATOR_MODELS = {
    "reviews": ["post", "section", "entry", "galleryimage", "keynote"],
    "papers": ["conference", "paper", "author", "authorship", "paperlink", "peerreviewexcerpt"],
    "taggit": ["tag"],
}


def curator_permissions():
    codenames = Permission.objects.none()
    for app_label, models in CURATOR_MODELS.items():
        codenames |= Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=models
        )
    return codenames


def sync_curator_group(**kwargs):
    group, _ = Group.objects.get_or_create(name=CURATORS)
    group.permissions.set(curator_permissions())
