from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site-wide search: the stored vectors' upkeep, the query and its page."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from search import index_papers, index_reviews, index_suggestions

        index_papers.connect()
        index_reviews.connect()
        index_suggestions.connect()

    def after_restore(self):
        """A restored backup's suggestions are rebuilt from its rows (core.backup); reviews'
        public flags, which they follow, come first (its app is installed before)."""
        from search.index_suggestions import rebuild_suggestions

        rebuild_suggestions()
