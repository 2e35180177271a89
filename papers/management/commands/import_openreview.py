import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from papers.importers.fetch import fetch_openreview_forum
from papers.importers.records import ImportFailed
from papers.models import Conference
from papers.services import import_openreview
from papers.venues import import_openreview_venue, result_line


class Command(BaseCommand):
    help = (
        "Import papers and review excerpts from OpenReview: a forum's JSON file or live id, or "
        "a whole venue (live, or a saved file of its notes), paper by paper and resumable."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument(
            "forum_file", nargs="?", help="A forum's notes as the API returns them."
        )
        source.add_argument("--forum", help="Fetch this forum from the OpenReview API.")
        source.add_argument(
            "--venue", help="Fetch every submission of this venue, e.g. NeurIPS.cc/2023/Conference."
        )
        source.add_argument(
            "--file", dest="venue_file", help="A saved file of a whole venue's notes (JSON)."
        )
        parser.add_argument(
            "--restart",
            action="store_true",
            help="Venue imports: start from the first paper even if an earlier run was cut short.",
        )
        add_common_arguments(parser)

    def handle(self, *args, forum_file=None, forum=None, venue=None, venue_file=None, **options):
        try:
            conference = conference_option(options["conference"])
            if venue or venue_file:
                self.import_venue(
                    venue=venue,
                    venue_file=venue_file,
                    conference=conference,
                    restart=options["restart"],
                    dry_run=options["dry_run"],
                )
                return
            if forum:
                report = import_openreview(
                    data=fetch_openreview_forum(forum),
                    conference=conference,
                    dry_run=options["dry_run"],
                )
            else:
                report = import_openreview(
                    source=forum_file, conference=conference, dry_run=options["dry_run"]
                )
        except (ImportFailed, OSError) as error:
            raise CommandError(str(error)) from None
        write_report(self, report)

    def import_venue(self, *, venue, venue_file, conference, restart, dry_run):
        """A bar on a terminal (the report follows at the end); a line per paper otherwise."""
        interactive = self.stdout.isatty()
        bar = tqdm(unit="paper", file=sys.stderr, disable=not interactive, dynamic_ncols=True)

        def progress(result, done, total):
            if interactive:
                bar.total = total
                bar.n = done
                bar.set_postfix_str(f"{result.status}: {result.title[:40]}", refresh=True)
            else:
                self.stdout.write(f"[{done}/{total or '?'}] {result_line(result)}")

        try:
            report = import_openreview_venue(
                venue=venue or "",
                source=venue_file,
                conference=conference,
                restart=restart,
                dry_run=dry_run,
                progress=progress,
            )
        finally:
            bar.close()
        lines = report.lines() if interactive else report.warnings
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(report.summary())
        if report.dry_run:
            self.stdout.write("Dry run: nothing was saved.")


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
