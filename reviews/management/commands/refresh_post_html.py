from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reviews.models import Post
from reviews.rendering import refresh_post_html


class Command(BaseCommand):
    help = (
        "Render and store the body of every post (or of --post SLUG), e.g. after a restore of "
        "an old backup or rows written around the signals; unchanged bodies are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--post", action="append", default=[], metavar="SLUG")

    def handle(self, *args, post, **options):
        posts = Post.objects.filter(slug__in=post) if post else Post.objects.all()
        ids = list(posts.values_list("pk", flat=True))
        if post and len(ids) != len(set(post)):
            missing = sorted(set(post) - set(posts.values_list("slug", flat=True)))
            raise CommandError(f"No post with the slug {', '.join(missing)}.")
        with transaction.atomic():
            changed = refresh_post_html(post_ids=ids)
        self.stdout.write(f"Refreshed {len(changed)} of {len(ids)} post bodies.")
