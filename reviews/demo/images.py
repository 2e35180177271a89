"""Slide and cover pictures drawn with Pillow, then stored through the upload path.

Flat colours and the default bitmap font keep each PNG small and quick to encode, so the whole
demo loads in seconds; nothing is read from outside the repository.
"""

import functools
import hashlib
import io
import unicodedata

from PIL import Image, ImageDraw

from reviews.media.images import CleanImage, clean_image

SLIDE_SIZE = (1280, 720)
COVER_SIZE = (1280, 720)


def _colour(text: str) -> tuple[int, int, int]:
    """A dark background colour derived from the text, so reruns draw the same picture."""
    digest = hashlib.sha256(text.encode()).digest()
    return (40 + digest[0] % 90, 40 + digest[1] % 90, 60 + digest[2] % 100)


def _wrap(text: str, width: int = 60) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _ascii(text: str) -> str:
    """The default font has no glyphs past ASCII: "Björn" is drawn as "Bjorn"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _picture(size, heading: str, footer: str) -> bytes:
    image = Image.new("RGB", size, _colour(heading))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle([0, 0, width, height // 5], fill=(245, 245, 240))
    for n, line in enumerate(_wrap(_ascii(heading))[:3]):
        draw.text((48, 24 + n * 36), line, fill=(20, 20, 30), font_size=28)
    for n in range(4):
        top = height // 3 + n * height // 9
        draw.rectangle([96, top, width * 3 // 4 - n * 90, top + height // 22], fill=(220, 220, 200))
    draw.text((48, height - 60), footer, fill=(250, 250, 250), font_size=28)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@functools.lru_cache(maxsize=256)
def slide(heading: str, number: int, total: int, *, stem: str) -> CleanImage:
    """One slide, validated and re-encoded exactly as an admin upload is."""
    data = _picture(SLIDE_SIZE, heading, f"Slide {number} of {total}")
    return clean_image(io.BytesIO(data), name=f"{stem}-{number}.png")


@functools.lru_cache(maxsize=16)
def cover(title: str, subtitle: str, *, stem: str) -> CleanImage:
    return clean_image(io.BytesIO(_picture(COVER_SIZE, title, subtitle)), name=f"{stem}-cover.png")
