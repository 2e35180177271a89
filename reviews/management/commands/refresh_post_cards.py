from django.core.management.base import BaseCommand
from django.db import transaction

from reviews.cards import POST_CARD


class Command(BaseCommand):
    help = (
        "Render and store every post's list card, e.g. after the migration that adds them or "
        "rows written around the signals; unchanged cards are left alone."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            changed, total = POST_CARD.refresh_all()
        self.stdout.write(f"Refreshed {changed} of {total} post cards.")
