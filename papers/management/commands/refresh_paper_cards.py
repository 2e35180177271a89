from django.core.management.base import BaseCommand
from django.db import transaction

from papers.cards import refresh_paper_cards
from papers.models import Paper


class Command(BaseCommand):
    help = (
        "Render and store every paper's list card, e.g. after the migration that adds them or "
        "rows written around the signals; unchanged cards are left alone."
    )

    def handle(self, *args, **options):
        ids = list(Paper.objects.values_list("pk", flat=True))
        with transaction.atomic():
            changed = refresh_paper_cards(paper_ids=ids)
        self.stdout.write(f"Refreshed {len(changed)} of {len(ids)} paper cards.")
