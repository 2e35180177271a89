import time

from django.core.management.base import BaseCommand

from reviews.demo import load_demo


class Command(BaseCommand):
    help = "Create or refresh the demo posts, papers and uploaded slides (idempotent)."

    def handle(self, *args, **options):
        started = time.monotonic()
        posts = load_demo()
        seconds = time.monotonic() - started
        for post in posts:
            state = "published" if post.is_public else post.get_status_display().lower()
            if post.status == post.Status.PUBLISHED and not post.is_public:
                state = f"scheduled for {post.published_at:%Y-%m-%d}"
            self.stdout.write(f"  {post.title} ({state})")
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {len(posts)} posts in {seconds:.1f} s."))
