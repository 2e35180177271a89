from django.core.management.base import BaseCommand, CommandError

from reviews.media.fetch import fetch_gallery_images
from reviews.models import Post


class Command(BaseCommand):
    help = "Download external gallery images into uploads (checked like admin uploads)."

    def add_arguments(self, parser):
        parser.add_argument("--post", metavar="SLUG", help="Only this post's images.")
        parser.add_argument(
            "--timeout", type=float, default=10, help="Seconds per image in total (default 10)."
        )

    def handle(self, *args, post, timeout, **options):
        target = None
        if post:
            target = Post.objects.filter(slug=post).first()
            if target is None:
                raise CommandError(f"No post with the slug “{post}”.")
        results = fetch_gallery_images(post=target, timeout=timeout)
        for result in results:
            if result.ok:
                self.stdout.write(f"Fetched {result.url} -> {result.stored_as}")
            else:
                self.stderr.write(f"FAILED {result.url}: {result.error}")
        failed = sum(not r.ok for r in results)
        self.stdout.write(f"Fetched {len(results) - failed} image(s); {failed} failed.")
        if failed:
            raise CommandError(f"{failed} image(s) could not be fetched; see the errors above.")
