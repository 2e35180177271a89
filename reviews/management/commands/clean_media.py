import datetime

from django.core.management.base import BaseCommand

from reviews.media.cleanup import find_orphans, remove_orphans


class Command(BaseCommand):
    help = "List (--dry-run) or remove uploaded files and renditions that no row refers to."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, remove nothing.")
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help="Spare files younger than this (uploads still in progress). Default: 60.",
        )

    def handle(self, *args, dry_run, min_age_minutes, **options):
        orphans = find_orphans(min_age=datetime.timedelta(minutes=min_age_minutes))
        verb = "Would remove" if dry_run else "Removed"
        for orphan in orphans:
            if not dry_run:
                remove_orphans([orphan])
            self.stdout.write(f"{verb} {orphan.name} ({orphan.size} bytes)")
        total = sum(o.size for o in orphans)
        self.stdout.write(f"{verb} {len(orphans)} orphaned file(s), {total} bytes.")
