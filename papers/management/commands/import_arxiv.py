from django.core.management.base import BaseCommand, CommandError

from papers.importers import arxiv
from papers.importers.fetch import fetch_arxiv
from papers.importers.records import ImportFailed
from papers.management.commands.import_openreview import (
    add_common_arguments,
    conference_option,
    write_report,
)
from papers.services import import_arxiv


class Command(BaseCommand):
    help = "Import papers from arXiv ids (fetched live) or a saved arXiv API response (Atom XML)."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", help="arXiv ids, or one .xml file.")
        add_common_arguments(parser)

    def handle(self, *args, sources, **options):
        try:
            conference = conference_option(options["conference"])
            if len(sources) == 1 and sources[0].lower().endswith(".xml"):
                payloads = [{"source": sources[0]}]
            else:
                ids = [arxiv.normalize_id(source) for source in sources]
                payloads = [{"data": body} for body in fetch_arxiv(ids)]
            for payload in payloads:
                report = import_arxiv(**payload, conference=conference, dry_run=options["dry_run"])
                write_report(self, report)
        except (ImportFailed, OSError) as error:
            raise CommandError(str(error)) from None
