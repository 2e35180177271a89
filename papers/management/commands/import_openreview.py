from django.core.management.base import BaseCommand, CommandError

from papers.importers.fetch import fetch_openreview_forum
from papers.importers.records import ImportFailed
from papers.models import Conference
from papers.services import import_openreview


class Command(BaseCommand):
    help = "Import papers and review excerpts from an OpenReview JSON file or a live forum id."

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("file", nargs="?", help="Notes as the API returns them (JSON).")
        source.add_argument("--forum", help="Fetch this forum from the OpenReview API.")
        add_common_arguments(parser)

    def handle(self, *args, file=None, forum=None, **options):
        try:
            conference = conference_option(options["conference"])
            if forum:
                report = import_openreview(
                    data=fetch_openreview_forum(forum),
                    conference=conference,
                    dry_run=options["dry_run"],
                )
            else:
                report = import_openreview(
                    source=file, conference=conference, dry_run=options["dry_run"]
                )
        except (ImportFailed, OSError) as error:
            raise CommandError(str(error)) from None
        write_report(self, report)


def add_common_arguments(parser):
    parser.add_argument("--conference", help="Slug of the conference to attach the papers to.")
    parser.add_argument("--dry-run", action="store_true", help="Report, but save nothing.")


def conference_option(slug):
    if not slug:
        return None
    try:
        return Conference.objects.get(slug=slug)
    except Conference.DoesNotExist:
        raise ImportFailed(f"No conference with the slug “{slug}”.") from None


def write_report(command, report):
    for line in report.lines():
        command.stdout.write(line)
    if report.dry_run:
        command.stdout.write("Dry run: nothing was saved.")
