from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, export_site


class Command(BaseCommand):
    help = (
        "Write the whole site (content, users, admin log, uploaded files and their renditions) "
        "to one zip archive, read in one snapshot."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="Where to write the zip, e.g. site.zip.")

    def handle(self, *args, archive, **options):
        try:
            report = export_site(destination=archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name in report.missing_files:
            self.stderr.write(f"Missing from storage, not in the archive: {name}")
        for reference in report.unsafe_references:
            self.stderr.write(f"Outside MEDIA_ROOT, left out of the archive: {reference}")
        self.stdout.write(f"Wrote {report.objects} objects and {report.files} files to {archive}.")
