from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site-wide search: the stored vectors' upkeep, the query and its page."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from search import index_papers, index_reviews

        index_papers.connect()
        index_reviews.connect()
