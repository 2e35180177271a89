from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.markdown.bundle import build_bundle, post_filename
from reviews.markdown.export import render_post_markdown
from reviews.models import Post


class Command(BaseCommand):
    help = "Export a post (drafts too) as Jekyll Markdown, or with --bundle as a Jekyll .zip."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", help="Write to this file instead of stdout.")
        parser.add_argument(
            "--bundle",
            action="store_true",
            help="A .zip with _posts/YYYY-MM-DD-<slug>.md and the uploads under img/<slug>/.",
        )

    def handle(self, *args, slug, output, bundle, **options):
        post = Post.objects.filter(slug=slug).first()
        if post is None:
            raise CommandError(f"No post with the slug “{slug}”.")
        if bundle:
            path = Path(output or f"{slug}.zip")
            path.write_bytes(build_bundle([post]))
            self.stderr.write(f"Wrote {path} ({post_filename(post)} and its images).")
            return
        markdown = render_post_markdown(post)
        if output:
            Path(output).write_text(markdown, encoding="utf-8", newline="\n")
            self.stderr.write(f"Wrote {output}.")
        else:
            self.stdout.write(markdown, ending="")
