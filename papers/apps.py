from django.apps import AppConfig


class PapersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "papers"
    verbose_name = "Papers"

    def ready(self):
        from papers import cards

        cards.connect_signals()

    def after_restore(self):
        """A restored backup's paper cards are rendered from its rows (core.backup)."""
        from papers.cards import refresh_paper_cards
        from papers.models import Paper

        refresh_paper_cards(paper_ids=Paper.objects.values_list("pk", flat=True))
