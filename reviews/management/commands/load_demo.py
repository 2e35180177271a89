from django.core.management.base import BaseCommand

from reviews.demo import load_demo


class Command(BaseCommand):
    help = "Create or refresh the demo conference review (idempotent)."

    def handle(self, *args, **options):
        post = load_demo()
        entries = sum(section.entries.count() for section in post.sections.all())
        self.stdout.write(
            self.style.SUCCESS(f"Demo post “{post.title}” ready with {entries} entries.")
        )
