from django.core.management.base import BaseCommand, CommandError

from papers.importers.records import ImportFailed
from papers.management.commands.import_openreview import (
    add_common_arguments,
    conference_option,
    write_report,
)
from papers.services import import_bibtex


class Command(BaseCommand):
    help = "Create or update papers from the entries of a .bib file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A BibTeX file (UTF-8).")
        add_common_arguments(parser)

    def handle(self, *args, file, **options):
        try:
            report = import_bibtex(
                source=file,
                conference=conference_option(options["conference"]),
                dry_run=options["dry_run"],
            )
        except (ImportFailed, OSError) as error:
            raise CommandError(str(error)) from None
        write_report(self, report)
