from django.db import transaction
from django.db.models import Max

from reviews.media.images import CleanImage
from reviews.media.renditions import discard_files
from reviews.models import Entry, GalleryImage


def add_gallery_images(
    *, entry: Entry, images: list[CleanImage], alt_prefix: str = ""
) -> list[GalleryImage]:
    """Append cleaned images to an entry's gallery, in the given order; all or nothing.

    Files written before a failure are removed again, so a refused batch leaves no trace.
    """
    created: list[GalleryImage] = []
    item = None
    try:
        with transaction.atomic():
            last = entry.images.aggregate(last=Max("order"))["last"]
            start = 0 if last is None else last + 1
            for n, image in enumerate(images):
                item = GalleryImage(
                    entry=entry,
                    image=image.as_file(),
                    order=start + n,
                    alt_text=f"{alt_prefix}, slide {n + 1}" if alt_prefix else "",
                )
                item.full_clean()
                item.save()
                created.append(item)
    except BaseException:
        for written in {id(i): i for i in [*created, item] if i is not None}.values():
            discard_files(written.image, written.renditions)
        raise
    return created
