from django.apps import AppConfig


class PapersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "papers"
    verbose_name = "Papers"

    def ready(self):
        from papers import cards, pages

        cards.connect_signals()
        pages.connect_signals()

    def after_restore(self):
        """A restored backup's paper cards and pages are rendered from its rows (core.backup)."""
        from papers.cards import PAPER_CARD
        from papers.pages import PAPER_PAGE

        PAPER_CARD.refresh_all()
        PAPER_PAGE.refresh_all()
