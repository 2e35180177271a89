"""The search app's background task: a full rebuild of the stored vectors (see core.tasks)."""

from core.tasks import retried_task
from search.index_reviews import rebuild_search_index


@retried_task()
def rebuild_index() -> dict[str, int]:
    """Recompute every search vector, as `manage.py rebuild_search_index` does."""
    return rebuild_search_index()
