from django.core.management.base import BaseCommand

from search.index_reviews import rebuild_search_index


class Command(BaseCommand):
    help = "Recompute every search vector (after bulk imports that bypass model signals)."

    def handle(self, *args, **options):
        counts = rebuild_search_index()
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(f"Search index rebuilt: {summary}.")
