"""Uploaded images: size- and type-checked with Pillow, then re-encoded, so that the uploaded
bytes are never stored nor served."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from turbine.core.exceptions import TurbineError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 6000 * 6000
FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def reencode(
    upload: Any,
    *,
    max_side: int,
    fmt: str,
    field: str,
    max_bytes: int = MAX_BYTES,
) -> ContentFile:
    """The image re-encoded in ``fmt`` ("PNG" or "JPEG"), at most ``max_side`` pixels a side;
    ``TurbineError`` (on ``field``) with a French reason when it is not an acceptable image."""
    if upload.size > max_bytes:
        raise TurbineError(f"L'image dépasse {max_bytes // (1024 * 1024)} Mo.", field=field)
    try:
        with Image.open(upload) as probe:
            if probe.format not in FORMATS:
                raise TurbineError(
                    "L'image doit être au format PNG, JPEG, WebP ou GIF.", field=field
                )
            if probe.width * probe.height > MAX_PIXELS:
                raise TurbineError("L'image a trop de pixels.", field=field)
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            converted = image.convert("RGBA" if fmt == "PNG" else "RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise TurbineError("Ce fichier n'est pas une image lisible.", field=field) from None
    converted.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    if fmt == "JPEG":
        converted.save(buffer, format="JPEG", quality=85, optimize=True)
    else:
        converted.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue())
