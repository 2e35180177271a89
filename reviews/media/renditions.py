"""Resized copies of uploaded images, made once per source and kept on the image's row.

The row's JSON (``GalleryImage.renditions``, ``Post.cover_renditions``) records the source name,
its SHA-256, its pixel size and every rendition file, so a page renders ``srcset`` and
``width``/``height`` without a query per image. A rendition is named after the source file and
its hash, so a changed source gets new files and the old ones are deleted.
"""

import hashlib
import io
import logging
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageOps

from reviews.media.images import FORMATS, decode_image
from reviews.media.references import file_in_use

logger = logging.getLogger(__name__)

WIDTHS = (400, 1600)
RENDITIONS_DIR = "renditions"
# GIF renditions are written as PNG: smaller for screenshots and no 256-colour limit.
RENDITION_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "WEBP"}
SAVE_OPTIONS = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80, "method": 4},
}


def _sha256(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.storage.open(field_file.name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _save(image: Image.Image, fmt: str, name: str) -> str:
    if default_storage.exists(name):
        return name
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode == "P":
        image = image.convert("RGBA")
    out = io.BytesIO()
    image.save(out, format=fmt, **SAVE_OPTIONS[fmt])
    return default_storage.save(name, ContentFile(out.getvalue()))


def build_renditions(field_file) -> dict:
    """Write the renditions of one stored image and return the record to keep on its row."""
    sha = _sha256(field_file)
    with field_file.storage.open(field_file.name, "rb") as handle:
        image, source_format = decode_image(handle.read(), f"“{field_file.name}”")
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    width, height = image.size
    stem = f"{RENDITIONS_DIR}/{PurePosixPath(field_file.name).stem}-{sha[:12]}"
    files = []
    # Past the largest width, the source itself is the large copy in its format; a full-size
    # WebP of a huge screenshot would cost seconds for a size no page requests.
    targets = [w for w in WIDTHS if w < width] + ([width] if width <= WIDTHS[-1] else [])
    for target in targets:
        size = (target, max(1, round(height * target / width)))
        resized = image if target == width else image.resize(size, Image.Resampling.LANCZOS)
        for fmt in dict.fromkeys([RENDITION_FORMAT[source_format], "WEBP"]):
            if target == width and fmt == RENDITION_FORMAT[source_format] == source_format:
                continue  # the (already clean) source itself serves this width
            extension, content_type = FORMATS[fmt]
            name = _save(resized, fmt, f"{stem}-{target}w.{extension}")
            files.append({"name": name, "width": size[0], "height": size[1], "type": content_type})
    return {
        "source": field_file.name,
        "sha256": sha,
        "width": width,
        "height": height,
        "type": FORMATS[source_format][1],
        "files": files,
    }


def rendition_names(record: dict) -> list[str]:
    return [f["name"] for f in record.get("files", ())]


def discard_files(field_file, record: dict) -> None:
    """Undo a save that did not commit: the stored file (if it reached storage) and renditions."""
    if field_file and getattr(field_file, "_committed", False):
        field_file.storage.delete(field_file.name)
    delete_renditions(record or {})


def delete_renditions(record: dict, *, keep=()) -> None:
    for name in rendition_names(record):
        if name not in keep:
            default_storage.delete(name)


def delete_unshared_renditions(record: dict, *, keep=()) -> None:
    """Renditions are named after their source: while a row still names it, they stay."""
    if not file_in_use(record.get("source", "")):
        delete_renditions(record, keep=keep)


def refresh_renditions(field_file, record: dict) -> dict | None:
    """The new record when the source changed (or files went missing), else None.

    An unreadable source keeps an empty record: the page then serves the file as it is, and
    the problem is logged instead of breaking the save.
    """
    if not field_file:
        if record:
            transaction.on_commit(lambda: delete_unshared_renditions(record))
            return {}
        return None
    if (
        record.get("source") == field_file.name
        and record.get("sha256") == _sha256(field_file)
        and all(default_storage.exists(name) for name in rendition_names(record))
    ):
        return None
    try:
        new = build_renditions(field_file)
    except (ValidationError, OSError) as exc:
        logger.warning("No renditions for %s: %s", field_file.name, exc)
        new = {}
    # After the commit: a rolled-back save keeps a record whose files still exist.
    keep = set(rendition_names(new))
    transaction.on_commit(lambda: delete_unshared_renditions(record, keep=keep))
    return new


def ensure_renditions(image) -> bool:
    """Bring a GalleryImage's renditions up to date; True when anything was (re)generated."""
    new = refresh_renditions(image.image, image.renditions or {})
    if new is None:
        return False
    image.renditions = new
    type(image).objects.filter(pk=image.pk).update(renditions=new)
    return True


def ensure_cover_renditions(post) -> bool:
    new = refresh_renditions(post.cover_image, post.cover_renditions or {})
    if new is None:
        return False
    post.cover_renditions = new
    type(post).objects.filter(pk=post.pk).update(cover_renditions=new)
    return True


def _srcset(entries) -> str:
    return ", ".join(f"{default_storage.url(name)} {width}w" for name, width in entries)


def responsive_attrs(src: str, record: dict) -> dict:
    """What an <img>/<picture> needs: src, srcset, webp_srcset, width, height (no queries).

    An external URL or an image without renditions gets just its src.
    """
    if not record.get("files"):
        return {"src": src, "srcset": "", "webp_srcset": "", "width": None, "height": None}
    webp = "image/webp"
    source = (record["source"], record["width"])
    files = sorted(record["files"], key=lambda f: f["width"])
    main = [(f["name"], f["width"]) for f in files if f["type"] != webp]
    webps = [(f["name"], f["width"]) for f in files if f["type"] == webp]
    if record["type"] == webp:
        webps.append(source)
    elif record["type"] != "image/gif":
        main.append(source)
    return {
        "src": src,
        "srcset": _srcset(main) if record["type"] != webp else _srcset(webps),
        "webp_srcset": _srcset(webps) if record["type"] != webp else "",
        "width": record["width"],
        "height": record["height"],
    }


def thumbnail_url(src: str, record: dict) -> str:
    """The smallest stored copy, for admin previews; the source itself when there is none."""
    files = record.get("files") or ()
    if not files:
        return src
    return default_storage.url(min(files, key=lambda f: f["width"])["name"])
