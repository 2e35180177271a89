"""Every image is decoded, checked and stored without metadata; hostile files are refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import ExifTags, Image

from reviews.media.images import MAX_BYTES, clean_image
from tests.imagefiles import (
    HTML_AS_PNG,
    SVG,
    exif_rotated_with_gps,
    png_header,
    slide,
    truncated_png,
    upload,
)


@pytest.mark.parametrize(
    ("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp"), ("GIF", "gif")]
)
def test_clean_image_accepts_the_four_formats_and_names_the_file_by_its_content(fmt, extension):
    result = clean_image(upload("My Slide 01.bin", slide(640, 360, fmt=fmt)))
    assert (result.name, result.format, result.width, result.height) == (
        f"my-slide-01.{extension}",
        fmt,
        640,
        360,
    )
    assert Image.open(io.BytesIO(result.content)).format == fmt


def test_clean_image_applies_exif_rotation_and_strips_gps_and_camera_tags():
    result = clean_image(upload("phone.jpg", exif_rotated_with_gps(), "image/jpeg"))
    stored = Image.open(io.BytesIO(result.content))
    assert (result.width, result.height) == (200, 400)
    assert stored.size == (200, 400)
    exif = stored.getexif()
    assert dict(exif) == {}
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert b"Phone Maker" not in result.content
    assert "exif" not in stored.info


def test_a_png_named_file_that_is_really_html_is_refused():
    with pytest.raises(ValidationError) as error:
        clean_image(upload("slide.png", HTML_AS_PNG))
    assert error.value.messages == [
        "“slide.png” is not a JPEG, PNG, WebP or GIF image (SVG and other formats are refused)."
    ]


def test_svg_is_refused_even_with_an_image_content_type():
    with pytest.raises(ValidationError, match="SVG and other formats are refused"):
        clean_image(upload("logo.svg", SVG, "image/svg+xml"))


def test_other_pillow_formats_are_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="BMP")
    with pytest.raises(ValidationError, match="is not a JPEG, PNG, WebP or GIF image"):
        clean_image(upload("slide.bmp", out.getvalue()))


def test_a_decompression_bomb_header_is_refused_before_decoding():
    with pytest.raises(ValidationError) as error:
        clean_image(upload("bomb.png", png_header(100_000, 100_000)))
    assert "decompression bomb" in error.value.messages[0]


def test_an_image_over_fifty_megapixels_is_refused_with_its_size():
    with pytest.raises(ValidationError) as error:
        clean_image(upload("huge.png", png_header(8000, 7000)))
    assert error.value.messages == [
        "“huge.png” is 8000×7000 pixels (56.0 megapixels); the limit is 50."
    ]


def test_a_truncated_png_is_refused():
    with pytest.raises(ValidationError, match=r"“cut\.png” is truncated or corrupt"):
        clean_image(upload("cut.png", truncated_png()))


def test_a_png_with_corrupt_pixel_data_is_refused():
    data = bytearray(slide(64, 64))
    data[len(data) // 2] ^= 0xFF
    with pytest.raises(ValidationError, match="truncated or corrupt"):
        clean_image(upload("bad.png", bytes(data)))


def test_a_file_over_twenty_megabytes_is_refused_before_it_is_read():
    big = upload("big.png", b"\0" * (MAX_BYTES + 1))
    with pytest.raises(ValidationError) as error:
        clean_image(big)
    assert error.value.messages == ["“big.png” is 20.0 MB; the limit is 20 MB."]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match=r"“empty\.png” is empty"):
        clean_image(upload("empty.png", b""))


def test_palette_png_with_transparency_survives_re_encoding():
    image = Image.new("P", (20, 20), 0)
    image.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    out = io.BytesIO()
    image.save(out, format="PNG", transparency=0)
    result = clean_image(upload("icon.png", out.getvalue()))
    stored = Image.open(io.BytesIO(result.content))
    assert stored.mode == "P"
    assert stored.info["transparency"] == 0


def test_an_animated_gif_is_kept_as_its_first_frame():
    frames = [Image.new("RGB", (40, 30), color) for color in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    result = clean_image(upload("anim.gif", out.getvalue(), "image/gif"))
    stored = Image.open(io.BytesIO(result.content))
    assert (result.name, stored.format, getattr(stored, "n_frames", 1)) == ("anim.gif", "GIF", 1)
    assert stored.convert("RGB").getpixel((0, 0)) == (255, 0, 0)


def test_png_text_chunks_and_exif_are_not_kept():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at 52.52N 13.40E")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone Maker"
    result = clean_image(upload("meta.png", slide(64, 48, pnginfo=info, exif=exif)))
    assert b"52.52N" not in result.content
    assert b"Phone Maker" not in result.content
    stored = Image.open(io.BytesIO(result.content))
    assert set(stored.info) <= {"dpi", "gamma", "srgb"}


def png_chunks(data):
    """The chunk types of a PNG, in order."""
    kinds, position = [], 8
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kinds.append(data[position + 4 : position + 8].decode())
        position += 12 + length
    return kinds


def test_a_png_keeps_its_own_image_chunks_and_loses_its_metadata_chunks():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at 52.52N 13.40E")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>Phone Maker</x:xmpmeta>")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone Maker"
    original = slide(640, 360, pnginfo=info, exif=exif, dpi=(144, 144), compress_level=9)

    result = clean_image(upload("meta.png", original))

    assert png_chunks(original) == ["IHDR", "tEXt", "iTXt", "pHYs", "eXIf", "IDAT", "IEND"]
    assert png_chunks(result.content) == ["IHDR", "pHYs", "IDAT", "IEND"]
    # The upload's compressed pixels themselves, not a re-encoding of them.
    idat = original[original.index(b"IDAT") - 4 : original.index(b"IEND") - 4]
    assert idat in result.content
    assert b"52.52N" not in result.content
    assert b"Phone Maker" not in result.content
    assert (result.name, result.width, result.height) == ("meta.png", 640, 360)
    assert (
        Image.open(io.BytesIO(result.content)).tobytes()
        == Image.open(io.BytesIO(original)).tobytes()
    )


def test_bytes_after_a_pngs_end_are_not_kept():
    polyglot = slide(64, 48) + HTML_AS_PNG
    result = clean_image(upload("polyglot.png", polyglot))
    assert b"<script>" not in result.content
    assert result.content.endswith(b"IEND\xaeB`\x82")
    assert Image.open(io.BytesIO(result.content)).size == (64, 48)


def test_a_png_with_an_exif_orientation_is_stored_upright():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    result = clean_image(upload("turned.png", slide(400, 200, exif=exif)))
    assert (result.width, result.height) == (200, 400)
    assert "eXIf" not in png_chunks(result.content)
    assert Image.open(io.BytesIO(result.content)).size == (200, 400)


def test_an_animated_png_is_kept_as_its_first_frame():
    frames = [Image.new("RGB", (40, 30), color) for color in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, format="PNG", save_all=True, append_images=frames[1:], duration=100)
    assert "acTL" in png_chunks(out.getvalue())
    result = clean_image(upload("anim.png", out.getvalue()))
    assert png_chunks(result.content) == ["IHDR", "IDAT", "IEND"]
    assert Image.open(io.BytesIO(result.content)).getpixel((0, 0)) == (255, 0, 0)
