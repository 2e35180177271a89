from django.core.management.base import BaseCommand
from django.db import transaction

from papers.pages import PAPER_PAGE


class Command(BaseCommand):
    help = (
        "Render and store every paper's page, e.g. after the migration that adds them, a "
        "change of SITE_URL or rows written around the signals; unchanged pages are left alone."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            changed, total = PAPER_PAGE.refresh_all()
        self.stdout.write(f"Refreshed {changed} of {total} paper pages.")
