from django.core.management.base import BaseCommand
from django.db import transaction

from reviews.cards import refresh_post_cards
from reviews.models import Post


class Command(BaseCommand):
    help = (
        "Render and store every post's list card, e.g. after the migration that adds them or "
        "rows written around the signals; unchanged cards are left alone."
    )

    def handle(self, *args, **options):
        ids = list(Post.objects.values_list("pk", flat=True))
        with transaction.atomic():
            changed = refresh_post_cards(post_ids=ids)
        self.stdout.write(f"Refreshed {len(changed)} of {len(ids)} post cards.")
