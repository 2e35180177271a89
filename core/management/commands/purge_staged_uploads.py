from django.core.management.base import BaseCommand

from core.staging import purge_expired_uploads


class Command(BaseCommand):
    help = "Remove staged uploads (previewed, never confirmed) past STAGED_UPLOAD_SECONDS."

    def handle(self, *args, **options):
        removed = purge_expired_uploads()
        self.stdout.write(f"Removed {removed} expired staged upload(s).")
