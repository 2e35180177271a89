"""Resized copies of uploaded images, content-addressed and kept on the image's row.

The row's JSON (``GalleryImage.renditions``, ``Post.cover_renditions``) records the source name,
its pixel size, a state and, once ready, the source's SHA-256 and every rendition file, so a
page renders ``srcset`` and ``width``/``height`` without a query per image. States:

- ``waiting``: the upload is stored, the rendition task has not run yet; pages show the source
  at its declared size (no layout shift, no broken image);
- ``ready``: the files exist; pages show the srcset;
- ``failed``: ``error`` says why; pages keep showing the source, the admin offers a retry.

A rendition's name is the hash of the source's bytes and of the rendition spec (width, format,
encoder options), so every row whose source has the same bytes shares the same files; a file
is deleted only when no row refers to it any more (reviews.media.cleanup.release_files).
"""

import hashlib
import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.dispatch import Signal
from PIL import Image, ImageOps, UnidentifiedImageError

from reviews.media.images import FORMATS, decode_image

logger = logging.getLogger(__name__)

WIDTHS = (400, 1600)
RENDITIONS_DIR = "renditions"
WAITING, READY, FAILED = "waiting", "ready", "failed"
# Bumped when the encoder settings change, so new specs get new names instead of stale files.
SPEC_VERSION = 1
# GIF renditions are written as PNG: smaller for screenshots and no 256-colour limit.
RENDITION_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "WEBP"}
SAVE_OPTIONS = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80, "method": 4},
}

# Sent once a row's renditions are ready: sender is the model, instance the row, record its JSON.
# Stored post HTML listens to refresh the pages that show the image.
renditions_ready = Signal()


def _sha256(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.storage.open(field_file.name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def rendition_name(source_sha256: str, width: int, fmt: str) -> str:
    """The content address of one rendition: the source's bytes plus the spec that made it."""
    spec = f"{source_sha256}:{width}:{fmt}:{sorted(SAVE_OPTIONS[fmt].items())}:{SPEC_VERSION}"
    digest = hashlib.sha256(spec.encode()).hexdigest()
    extension = FORMATS[fmt][0]
    return f"{RENDITIONS_DIR}/{digest[:2]}/{digest[2:34]}-{width}w.{extension}"


def _save(image: Image.Image, fmt: str, name: str) -> str:
    if default_storage.exists(name):
        return name  # the same bytes and spec were rendered before: share the file
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode == "P":
        image = image.convert("RGBA")
    out = io.BytesIO()
    image.save(out, format=fmt, **SAVE_OPTIONS[fmt])
    return default_storage.save(name, ContentFile(out.getvalue()))


def waiting_record(field_file) -> dict:
    """The record of a just-stored source: its declared size from the header, no decoding.

    A source that cannot be read (missing from storage, not an image) gets a failed record
    naming the problem instead of an exception: the save that stored it still succeeds.
    """
    try:
        with field_file.storage.open(field_file.name, "rb") as handle, Image.open(handle) as image:
            width, height, fmt = image.width, image.height, image.format
    except FileNotFoundError:
        return failed_record(field_file.name, f"the file {field_file.name} is missing from storage")
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        return failed_record(field_file.name, f"{field_file.name} cannot be read ({exc})")
    if fmt not in FORMATS:
        return failed_record(field_file.name, f"{field_file.name} is a {fmt} file, not an image")
    return {
        "state": WAITING,
        "source": field_file.name,
        "width": width,
        "height": height,
        "type": FORMATS[fmt][1],
    }


def failed_record(source: str, error: str, *, previous: dict | None = None) -> dict:
    kept = {k: v for k, v in (previous or {}).items() if k in ("width", "height", "type")}
    return {**kept, "state": FAILED, "source": source, "error": error}


def state(record: dict) -> str:
    """waiting, ready or failed; rows written before states existed are ready if they have files."""
    if not record:
        return ""
    return record.get("state") or (READY if "files" in record else WAITING)


def build_renditions(field_file) -> dict:
    """Write the renditions of one stored image and return the ready record for its row.

    Raises ValidationError for a source that is not a valid image, OSError (FileNotFoundError
    included) when storage cannot give its bytes.
    """
    sha = _sha256(field_file)
    with field_file.storage.open(field_file.name, "rb") as handle:
        image, source_format = decode_image(handle.read(), f"“{field_file.name}”")
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    width, height = image.size
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
            name = _save(resized, fmt, rendition_name(sha, target, fmt))
            files.append(
                {"name": name, "width": size[0], "height": size[1], "type": FORMATS[fmt][1]}
            )
    return {
        "state": READY,
        "source": field_file.name,
        "sha256": sha,
        "width": width,
        "height": height,
        "type": FORMATS[source_format][1],
        "files": files,
    }


def rendition_names(record: dict) -> list[str]:
    """The rendition files a row's record names (empty until the record is ready)."""
    return [f["name"] for f in (record or {}).get("files", ())]


def rendition_files(instance) -> list[str]:
    """Every rendition file of a GalleryImage or a Post's cover, for backups and audits."""
    record = getattr(instance, "renditions", None)
    if record is None:
        record = getattr(instance, "cover_renditions", None)
    return rendition_names(record or {})


def discard_files(field_file, record: dict) -> None:
    """Undo a save that did not commit: the stored file (if it reached storage) and renditions.

    Renditions are shared by content, so only those no committed row names are removed.
    """
    from reviews.media.cleanup import delete_unreferenced

    if field_file and getattr(field_file, "_committed", False):
        field_file.storage.delete(field_file.name)
    delete_unreferenced(rendition_names(record or {}))


def _srcset(entries) -> str:
    return ", ".join(f"{default_storage.url(name)} {width}w" for name, width in entries)


def responsive_attrs(src: str, record: dict) -> dict:
    """What an <img>/<picture> needs: src, srcset, webp_srcset, width, height (no queries).

    An external URL gets just its src; an upload whose renditions are not ready yet gets its
    src at the size its header declares, so the page does not shift when the srcset arrives.
    """
    if not record.get("files"):
        width, height = record.get("width"), record.get("height")
        if not (width and height) or record.get("source") is None:
            width = height = None
        return {"src": src, "srcset": "", "webp_srcset": "", "width": width, "height": height}
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
