"""Uploaded images: checked (size, type, pixels) with Pillow, then re-encoded, so that the bytes
a browser sent are never stored nor served.

Re-encoding keeps only pixels: metadata (EXIF with a GPS position, comments, embedded profiles)
and anything hidden in the original file are dropped; the orientation EXIF asked for is applied
first, so that a phone's portrait photo stays upright.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from turbine.core.exceptions import TurbineError

MAX_BYTES = 5 * 1024 * 1024
# Read from the header and refused before decoding: protects against decompression bombs.
MAX_PIXELS = 40_000_000
ALL_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
_FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}


class ImageError(TurbineError):
    pass


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    name: str
    width: int
    height: int


def _listed(formats: tuple[str, ...]) -> str:
    names = [_FORMAT_NAMES[kind] for kind in formats]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} ou {names[-1]}"


def reencode(
    upload: Any,
    *,
    max_side: int,
    fmt: str = "JPEG",
    field: str = "image",
    max_bytes: int = MAX_BYTES,
    formats: tuple[str, ...] = ALL_FORMATS,
) -> CleanImage:
    """The image re-encoded in ``fmt`` ("JPEG" or "PNG"), at most ``max_side`` pixels a side.

    Raises :class:`ImageError` on ``field``, with a French reason, for a file too large, not an
    image, of a format not in ``formats`` or of too many pixels.
    """
    too_large = f"L'image dépasse {max_bytes // (1024 * 1024)} Mo."
    if getattr(upload, "size", None) is not None and upload.size > max_bytes:
        raise ImageError(too_large, field=field)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageError(too_large, field=field)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in formats:
                raise ImageError(
                    f"Format d'image non accepté : envoyez une image {_listed(formats)}.",
                    field=field,
                )
            if probe.width * probe.height > MAX_PIXELS:
                raise ImageError(
                    f"L'image est trop grande ({MAX_PIXELS // 1_000_000} mégapixels au plus).",
                    field=field,
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            picture: Image.Image = ImageOps.exif_transpose(opened)
            if fmt == "PNG":
                picture = picture.convert("RGBA")
            elif picture.mode not in ("RGB", "L"):
                # JPEG has no transparency: transparent pixels become white, not black.
                background = Image.new("RGB", picture.size, (255, 255, 255))
                rgba = picture.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                picture = background
            picture.thumbnail((max_side, max_side))
            out = io.BytesIO()
            if fmt == "PNG":
                picture.save(out, format="PNG", optimize=True)
            else:
                picture.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
            width, height = picture.size
    except ImageError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ImageError("Ce fichier n'est pas une image lisible.", field=field) from None
    name = f"{uuid.uuid4().hex}.{'png' if fmt == 'PNG' else 'jpg'}"
    return CleanImage(
        content=ContentFile(out.getvalue(), name=name), name=name, width=width, height=height
    )
