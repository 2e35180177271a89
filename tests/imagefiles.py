"""Images made in the tests with Pillow: real-looking slides and hostile files."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageDraw

GPS_LATITUDE = ((52, 1), (31, 1), (0, 1))


def slide(width=1200, height=675, *, color=(30, 60, 120), fmt="PNG", exif=None, **options):
    """A slide-like picture: a coloured background with a title bar and a few bullet lines."""
    image = Image.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, height // 6], fill=(240, 240, 240))
    for n in range(4):
        top = height // 4 + n * height // 8
        draw.rectangle([width // 10, top, width * 8 // 10, top + height // 20], fill=(200, 200, 90))
    out = io.BytesIO()
    if exif is not None:
        options["exif"] = exif
    image.save(out, format=fmt, **options)
    return out.getvalue()


def exif_rotated_with_gps():
    """A landscape JPEG stored 400x200 whose EXIF says "rotate 90°", with a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Phone Maker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 24.0, 0.0)
    return slide(400, 200, fmt="JPEG", exif=exif)


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width, height):
    """A tiny PNG whose header declares WIDTH x HEIGHT: a decompression bomb in a few bytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


def truncated_png():
    data = slide(800, 600)
    return data[: len(data) // 2]


HTML_AS_PNG = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_upload(name="slide.png", color=(200, 30, 30)):
    """A real PNG, small enough to keep the tests fast."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
