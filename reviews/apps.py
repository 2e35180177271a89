from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"
    verbose_name = "Conference reviews"

    def ready(self):
        from . import search_index
        from .roles import sync_curator_group

        post_migrate.connect(sync_curator_group, sender=self)
        search_index.connect()
