"""Whether a stored file is still named by a row: rows may share files (a working copy's
images name the live post's files), so a file and its renditions go only with the last row."""

from reviews.models import GalleryImage, Post


def file_in_use(name: str) -> bool:
    return bool(name) and (
        GalleryImage.objects.filter(image=name).exists()
        or Post.objects.filter(cover_image=name).exists()
    )
