from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, import_site


class Command(BaseCommand):
    help = (
        "Restore a zip written by export_site into an empty database (see --force). The whole "
        "archive is checked first; files replace the live ones only after the rows commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the content already in the database (users are updated, not deleted).",
        )

    def handle(self, *args, archive, force, **options):
        try:
            report = import_site(source=archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {report.objects} objects and {report.files} files.")
