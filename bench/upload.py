"""Upload latency of one 1920x1080 slide through the admin, and rendition task throughput.

Runs in-process on a fresh SQLite database with the test settings and the database task
backend: `python bench/upload.py [--images N]` (TASK_BACKEND=immediate times the old way, with
renditions made inside the request). The upload is timed as the admin's multi-upload page
answers it, for an entry of a draft post (a live post's entry redirects to its draft of changes
and stores nothing), in wall and CPU time (medians of 7; CPU time is the figure to compare on a
loaded machine), and each request must have stored its image; the throughput is `db_worker --batch` working off the rendition tasks
of N uploaded slides, in images and rendition files per second.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="cr-bench-upload-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("TASK_BACKEND", "database")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR / 'bench.sqlite3'}")
os.environ["MEDIA_ROOT"] = str(WORKDIR / "media")


def realistic_slide(n: int) -> bytes:
    """A slide with a photograph on it: the noise defeats PNG's run-length luck."""
    import io

    from PIL import Image

    from tests.imagefiles import slide

    image = Image.open(io.BytesIO(slide(1920, 1080, color=(30 + n, 60, 120))))
    photo = Image.effect_noise((900, 600), 40 + n).convert("RGB")
    image.paste(photo, (960, 300))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=20, help="slides for the throughput run")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from reviews.models import GalleryImage
    from tests.factories import EntryFactory, PostFactory, UserFactory
    from tests.imagefiles import slide

    call_command("migrate", verbosity=0)
    admin = UserFactory(username="bench", is_staff=True, is_superuser=True)
    entry = EntryFactory(section__post=PostFactory())
    client = Client()
    client.force_login(admin)
    url = reverse("admin:reviews_entry_add_images", args=[entry.pk])
    kinds = {"flat slide": lambda n: slide(1920, 1080, color=(30 + n, 60, 120))}
    kinds["slide with a photo"] = realistic_slide
    for label, make in kinds.items():
        wall, cpu = [], []
        for n in range(7):
            upload = SimpleUploadedFile(f"slide-{n}.png", make(n), content_type="image/png")
            before = GalleryImage.objects.filter(entry=entry).count()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.post(url, {"images": [upload], "alt_text": "Bench"})
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 302, response.content[:500]
            assert GalleryImage.objects.filter(entry=entry).count() == before + 1, "not stored"
        print(
            f"upload of one 1920x1080 PNG ({label}): median {statistics.median(wall):.0f} ms "
            f"wall, {statistics.median(cpu):.0f} ms CPU, of 7"
        )
    GalleryImage.objects.filter(entry=entry).delete()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()

    for n in range(args.images):
        upload = SimpleUploadedFile(f"more-{n}.png", realistic_slide(n), content_type="image/png")
        assert client.post(url, {"images": [upload], "alt_text": "Bench"}).status_code == 302
    waiting = DBTaskResult.objects.filter(status="READY").count()
    started, started_cpu = time.perf_counter(), time.process_time()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    images = GalleryImage.objects.filter(entry=entry)
    ready = [i for i in images if i.renditions.get("state") == "ready"]
    files = sum(len(i.renditions["files"]) for i in ready)
    print(
        f"rendition tasks (db_worker, one process): {waiting} queued, {len(ready)} ready, "
        f"{files} files in {elapsed:.1f} s: {len(ready) / elapsed:.2f} images/s, "
        f"{files / elapsed:.2f} renditions/s; {cpu:.1f} s CPU: {len(ready) / cpu:.2f} images "
        f"per CPU second"
    )


if __name__ == "__main__":
    main()
