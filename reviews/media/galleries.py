from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from reviews.media.images import CleanImage
from reviews.media.renditions import discard_files
from reviews.models import Entry, GalleryImage


def slide_alt_texts(*, count: int, prefix: str) -> list[str]:
    """“Slide N of M: PREFIX” for each of `count` new slides: the alt text offered at upload."""
    return [f"Slide {n} of {count}: {prefix}" for n in range(1, count + 1)]


def add_gallery_images(
    *,
    entry: Entry,
    images: list[CleanImage],
    alt_prefix: str = "",
    alt_texts: list[str] | None = None,
) -> list[GalleryImage]:
    """Append cleaned images to an entry's gallery, in the given order; all or nothing.

    `alt_texts`, one per image, is how curators upload: every one is required, so the
    publishing checklist is never the first to find a slide without a description (bulk
    loaders that describe images afterwards pass None). Files written before a failure are
    removed again, so a refused batch leaves no trace.
    """
    if alt_texts is not None:
        alt_texts = [text.strip() for text in alt_texts]
        if len(alt_texts) != len(images):
            raise ValidationError("Give one alt text for each new image.")
        missing = [image.name for image, text in zip(images, alt_texts, strict=True) if not text]
        if missing:
            raise ValidationError(
                f"Describe every new image for readers who cannot see it; no alt text for: "
                f"{', '.join(missing)}."
            )
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
                    alt_text=(
                        alt_texts[n]
                        if alt_texts is not None
                        else f"{alt_prefix}, slide {n + 1}"
                        if alt_prefix
                        else ""
                    ),
                )
                item.full_clean()
                item.save()
                created.append(item)
    except BaseException:
        for written in {id(i): i for i in [*created, item] if i is not None}.values():
            discard_files(written.image, written.renditions)
        raise
    return created
