from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What both content apps share: fields, batched side effects, the page cache, backups."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Site"

    def ready(self):
        from core import tag_slugs

        tag_slugs.connect()
