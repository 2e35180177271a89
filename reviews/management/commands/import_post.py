from django.core.management.base import BaseCommand, CommandError

from papers.models import Conference
from reviews.markdown.importer import MarkdownImportError, import_post


class Command(BaseCommand):
    help = (
        "Import Jekyll Markdown posts (or Jekyll bundle .zip files) as drafts. "
        "Each file is all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--conference", metavar="SLUG", help="Default: inferred from the post title."
        )
        parser.add_argument(
            "--update", action="store_true", help="Replace the content of posts that exist."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; change nothing."
        )

    def handle(self, *args, files, conference, update, dry_run, **options):
        if conference:
            slug = conference
            conference = Conference.objects.filter(slug=slug).first()
            if conference is None:
                raise CommandError(f"No conference with the slug “{slug}”.")
        failures = []
        for path in files:
            try:
                report = import_post(
                    source=path, conference=conference, update=update, dry_run=dry_run, by=None
                )
            except MarkdownImportError as error:
                failures.append(str(error))
                self.stderr.write(self.style.ERROR(f"FAILED {error}"))
            else:
                self.stdout.write(self.style.SUCCESS(report.summary()))
        imported = len(files) - len(failures)
        self.stdout.write(f"{imported} of {len(files)} file(s) imported{' (dry run)' * dry_run}.")
        if failures:
            raise CommandError(
                f"{len(failures)} file(s) failed and were not imported:\n" + "\n".join(failures)
            )
