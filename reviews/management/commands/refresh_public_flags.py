from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reviews.rendering import refresh_site_flags
from reviews.visibility import public_flag_drift


class Command(BaseCommand):
    help = (
        "Report stored public flags (public_from) that differ from what the posts say, "
        "then store the right ones; with --check, report only and fail on any drift."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Change nothing; exit 1 when a flag drifted."
        )

    def handle(self, *args, check, **options):
        drift = public_flag_drift()
        for label, pks in drift.items():
            shown = ", ".join(str(pk) for pk in pks[:20]) + (" ..." if len(pks) > 20 else "")
            self.stdout.write(f"{label}: {len(pks)} drifted ({shown})")
        if check:
            if drift:
                raise CommandError("Public flags drifted; run refresh_public_flags to fix them.")
            self.stdout.write("Public flags match the posts.")
            return
        with transaction.atomic():
            changed = refresh_site_flags()
        self.stdout.write(f"Stored {sum(map(len, changed.values()))} public flag(s).")
