"""Hostile-file defence for every image the site stores: validate with Pillow, then rewrite.

What is served is never the uploaded file: it is fully decoded first, then stored without
metadata (GPS, camera, XMP, comments), keeping only the colour profile. A PNG keeps its own
image chunks, losslessly and without recompressing, less its metadata chunks and anything after
its end; any other file (and a PNG with an EXIF orientation, an animation or a chunk not listed
here) is re-encoded from its pixels, upright, in a fresh file of the same format. The stored
file therefore always matches its extension.
"""

import io
import struct
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000
# Pillow format name -> (file extension, MIME type). Anything else (SVG, TIFF, BMP, ...) is refused.
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
CONTENT_TYPES = {mime for _, mime in FORMATS.values()}
ALLOWED = "JPEG, PNG, WebP or GIF"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG chunks a stored PNG keeps: the pixels and how to show them (colour, transparency, DPI).
PNG_KEPT = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP"}
PNG_KEPT |= {b"sBIT", b"pHYs", b"bKGD"}
# The metadata a PNG may carry, dropped: text (iTXt also holds XMP), EXIF and a timestamp.
PNG_DROPPED = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image, ready to be saved into an ImageField."""

    content: bytes
    name: str
    format: str
    width: int
    height: int

    def as_file(self) -> ContentFile:
        return ContentFile(self.content, name=self.name)


def _read(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if hasattr(file, "seek"):
        file.seek(0)
    return data


def _open(data: bytes, label: str) -> Image.Image:
    """Open with only the allowed decoders; a bomb warning is an error, not a log line."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(
                f"{label} is refused: its header declares more pixels than the "
                f"{MAX_PIXELS // 1_000_000} megapixel limit (a decompression bomb?)."
            ) from exc
        except UnidentifiedImageError as exc:
            raise ValidationError(
                f"{label} is not a {ALLOWED} image (SVG and other formats are refused)."
            ) from exc
    return image


def _check_pixels(image: Image.Image, label: str) -> None:
    pixels = image.width * image.height
    if pixels > MAX_PIXELS:
        raise ValidationError(
            f"{label} is {image.width}×{image.height} pixels "
            f"({pixels / 1_000_000:.1f} megapixels); the limit is {MAX_PIXELS // 1_000_000}."
        )


def decode_image(data: bytes, label: str) -> tuple[Image.Image, str]:
    """Open, bound and fully decode; raises ValidationError, never a Pillow exception."""
    image = _open(data, label)
    image_format = image.format
    _check_pixels(image, label)
    try:
        image.verify()
        # verify() does not decode pixel data; a truncated file only fails on load().
        image = _open(data, label)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(f"{label} is truncated or corrupt ({exc}).") from exc
    return image, image_format


def _strip_png(data: bytes, image: Image.Image) -> bytes | None:
    """A decoded PNG's own chunks less its metadata: the upload's pixels, not recompressed.

    None when only a re-encode will do: an EXIF orientation to apply, a chunk neither list
    names (an animation's, a private one), or bytes after IEND (a polyglot's other half).
    """
    if image.getexif().get(ExifTags.Base.Orientation, 1) != 1:
        return None
    kept, position = [PNG_SIGNATURE], len(PNG_SIGNATURE)
    while position + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if kind in PNG_KEPT:
            kept.append(data[position:end])
        elif kind not in PNG_DROPPED:
            return None
        position = end
        if kind == b"IEND":
            return b"".join(kept) if position == len(data) else None
    return None


def _encode(image: Image.Image, image_format: str) -> tuple[bytes, tuple[int, int]]:
    icc_profile = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # A fresh Image carries no info dict: EXIF, XMP, GPS and comments cannot survive.
    clean = Image.new(image.mode, image.size)
    if image.mode == "P":
        clean.putpalette(image.getpalette())
        if "transparency" in image.info:
            clean.info["transparency"] = image.info["transparency"]
    clean.paste(image)
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        options.update(quality=90, optimize=True)
    elif image_format == "WEBP":
        options.update(quality=90, method=4)
    elif image_format == "PNG":
        # zlib's fastest level: a third of the default's time on a photo-bearing slide, and
        # readers mostly get the optimized renditions; the upload request stays under 300 ms.
        options["compress_level"] = 1
    elif image_format == "GIF" and "transparency" in clean.info:
        options["transparency"] = clean.info["transparency"]
    out = io.BytesIO()
    clean.save(out, format=image_format, **options)
    return out.getvalue(), clean.size


def clean_image(file, *, name: str | None = None) -> CleanImage:
    """Validate an uploaded or downloaded image and return metadata-free bytes.

    Raises ValidationError naming the file and the problem: too large, not an allowed format,
    too many pixels (bombs included), truncated or corrupt. Animated GIF/WebP keep only their
    first frame: slides are stills, and re-encoding every frame multiplies the decoding cost.
    """
    name = name or getattr(file, "name", None) or "image"
    label = f"“{PurePath(name).name}”"
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            f"{label} is {size / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB."
        )
    data = _read(file)
    if len(data) > MAX_BYTES:
        raise ValidationError(f"{label} is larger than {MAX_BYTES // 1024 // 1024} MB.")
    if not data:
        raise ValidationError(f"{label} is empty.")
    image, image_format = decode_image(data, label)
    content = _strip_png(data, image) if image_format == "PNG" else None
    if content is None:
        content, (width, height) = _encode(image, image_format)
    else:
        width, height = image.size
    extension = FORMATS[image_format][0]
    stem = slugify(PurePath(name).stem)[:60] or "image"
    return CleanImage(
        content=content,
        name=f"{stem}.{extension}",
        format=image_format,
        width=width,
        height=height,
    )


def check_stored_image(data: bytes, *, name: str) -> str:
    """clean_image's checks without re-encoding, for files restored from a backup.

    A backup holds files this site already cleaned, and a restore must give back the same
    bytes (renditions and exports refer to them), so nothing is rewritten; but an archive can
    be edited by hand, so each file must still be an allowed format by content, within the
    byte and pixel caps, no bomb, fully decodable, and named with its real format's extension.
    Returns the format; raises ValidationError naming the file.
    """
    label = f"“{PurePath(name).name}”"
    if len(data) > MAX_BYTES:
        raise ValidationError(f"{label} is larger than {MAX_BYTES // 1024 // 1024} MB.")
    if not data:
        raise ValidationError(f"{label} is empty.")
    _image, image_format = decode_image(data, label)
    extension = PurePath(name).suffix.lower().lstrip(".")
    expected = FORMATS[image_format][0]
    if extension != expected and not (expected == "jpg" and extension == "jpeg"):
        raise ValidationError(f"{label} holds a {image_format} image but is named “.{extension}”.")
    return image_format


def validate_image_file(file) -> None:
    """The validation alone, for callers that only need a yes or a reason."""
    clean_image(file)
