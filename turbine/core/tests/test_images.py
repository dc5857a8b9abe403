"""The one image re-encoder: formats, sides, orientation, refusals."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from turbine.core import images


def _upload(fmt: str, size: tuple[int, int] = (40, 20), **save: object) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt, **save)
    return SimpleUploadedFile(f"x.{fmt.lower()}", out.getvalue())


def test_a_gif_becomes_a_png_within_its_side_by_default():
    clean = images.reencode(_upload("GIF", (900, 300)), max_side=300, fmt="PNG")
    with Image.open(clean.content) as img:
        assert (img.format, img.size) == ("PNG", (300, 100))
    assert clean.name.endswith(".png")


def test_the_orientation_asked_by_exif_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    clean = images.reencode(_upload("JPEG", (40, 20), exif=exif), max_side=100)
    assert (clean.width, clean.height) == (20, 40)


def test_a_format_left_out_is_refused_with_the_accepted_ones_named():
    with pytest.raises(images.ImageError, match="envoyez une image JPEG ou PNG") as caught:
        images.reencode(_upload("GIF"), max_side=100, formats=("JPEG", "PNG"), field="logo")
    assert caught.value.field == "logo"


def test_the_size_limit_is_the_callers():
    with pytest.raises(images.ImageError, match="dépasse 1 Mo"):
        images.reencode(
            SimpleUploadedFile("x.png", b"\x89PNG" + b"\x00" * (1024 * 1024)),
            max_side=100,
            max_bytes=1024 * 1024,
        )
