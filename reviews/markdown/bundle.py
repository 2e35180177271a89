"""Jekyll bundles: a .zip with `_posts/YYYY-MM-DD-<slug>.md` and its uploads under `img/<slug>/`."""

import io
import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError

from reviews.markdown.export import render_post_markdown
from reviews.markdown.parse import MAX_FILE_BYTES, MarkdownImportError
from reviews.media.images import CleanImage, clean_image
from reviews.selectors import post_with_content

MAX_BUNDLE_IMAGE_BYTES = 20 * 1024 * 1024
MAX_BUNDLE_BYTES = 200 * 1024 * 1024
POST_SUFFIXES = (".md", ".markdown")


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def post_filename(post) -> str:
    date = (post.published_at or post.created_at).date()
    return f"_posts/{date:%Y-%m-%d}-{post.slug}.md"


def uploaded_images(post) -> dict[str, str]:
    """Storage name -> bundle path for the post's uploads, unique within `img/<slug>/`."""
    fields = [post.cover_image] if post.cover_image else []
    for section in post.sections.all():
        for entry in section.entries.all():
            fields.extend(image.image for image in entry.images.all() if image.image)
    paths, used = {}, set()
    for field in fields:
        if field.name in paths:
            continue
        base = PurePosixPath(field.name).name
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{n}-{base}"
        used.add(candidate)
        paths[field.name] = f"img/{post.slug}/{candidate}"
    return paths


def write_post(archive: zipfile.ZipFile, post) -> None:
    post = post_with_content(type(post).objects.filter(pk=post.pk)).get()
    paths = uploaded_images(post)
    markdown = render_post_markdown(post, image_url=lambda field: "/" + paths[field.name])
    archive.writestr(post_filename(post), markdown.encode())
    storage_fields = {}
    if post.cover_image:
        storage_fields[post.cover_image.name] = post.cover_image
    for section in post.sections.all():
        for entry in section.entries.all():
            for image in entry.images.all():
                if image.image:
                    storage_fields[image.image.name] = image.image
    for storage_name, path in paths.items():
        with storage_fields[storage_name].open("rb") as handle:
            archive.writestr(path, handle.read())


def build_bundle(posts) -> bytes:
    """A zip ready to unpack into a Jekyll site, for one or several posts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for post in posts:
            write_post(archive, post)
    return buffer.getvalue()


def checked_image(data: bytes, *, name: str) -> CleanImage:
    """The gate admin uploads pass (clean_image): format by content, size and pixel caps,
    bombs, then re-encoded without metadata and with EXIF orientation applied."""
    try:
        return clean_image(io.BytesIO(data), name=PurePosixPath(name).name)
    except ValidationError as error:
        raise MarkdownImportError(
            f"this file in the bundle is refused: {' '.join(error.messages)}", name=name
        ) from None


def read_bundle(data: bytes, *, name: str) -> tuple[str, bytes, dict[str, CleanImage]]:
    """The bundle's one post (name, bytes) and its images keyed by path from the bundle root."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise MarkdownImportError("not a readable .zip file", name=name) from None
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        posts = [
            info
            for info in infos
            if "_posts/" in f"/{info.filename}" and info.filename.endswith(POST_SUFFIXES)
        ]
        if len(posts) != 1:
            raise MarkdownImportError(
                f"a bundle must hold exactly one post under _posts/; this one holds {len(posts)}",
                name=name,
            )
        post_info = posts[0]
        root = post_info.filename[: post_info.filename.rindex("_posts/")]
        post_name = f"{name}:{post_info.filename}"
        if post_info.file_size > MAX_FILE_BYTES:
            raise MarkdownImportError(
                f"the post is {post_info.file_size:,} bytes; the limit is 2 MB", name=post_name
            )
        total = sum(info.file_size for info in infos)
        if total > MAX_BUNDLE_BYTES:
            raise MarkdownImportError("the bundle unpacks to more than 200 MB", name=name)
        images = {}
        for info in infos:
            relative = info.filename[len(root) :]
            if not info.filename.startswith(root) or not relative.startswith("img/"):
                continue
            if info.file_size > MAX_BUNDLE_IMAGE_BYTES:
                raise MarkdownImportError(
                    "an image in the bundle is larger than 20 MB", name=f"{name}:{info.filename}"
                )
            images[relative] = checked_image(archive.read(info), name=f"{name}:{info.filename}")
        return post_name, archive.read(post_info), images
