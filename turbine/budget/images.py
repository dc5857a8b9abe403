"""Images of proposals: size- and type-checked, then re-encoded with Pillow.

Re-encoding keeps only pixels: metadata (EXIF with GPS position, comments, embedded profiles)
and anything hidden in the original file are dropped. Pillow is an optional dependency: when
it is not installed, proposals simply have no image field (``AVAILABLE`` is false).
"""

from __future__ import annotations

import importlib.util
import io
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from turbine.core.exceptions import TurbineError

AVAILABLE = importlib.util.find_spec("PIL") is not None

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refused before decoding: protects against decompression bombs
MAX_SIDE = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


class ImageError(TurbineError):
    pass


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    name: str
    width: int
    height: int


def reencode(upload: UploadedFile) -> CleanImage:
    """Check an uploaded image and return it re-encoded as a JPEG of at most ``MAX_SIDE`` px.

    Raises :class:`ImageError` (French message, ``field="image"``) for a file too large, not an
    image, of an unaccepted format or of too many pixels.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if upload.size is not None and upload.size > MAX_BYTES:
        raise ImageError("L'image dépasse 5 Mo.", field="image")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImageError("L'image dépasse 5 Mo.", field="image")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in ACCEPTED_FORMATS:
                raise ImageError(
                    "Format d'image non accepté : envoyez une photo JPEG, PNG ou WebP.",
                    field="image",
                )
            if width * height > MAX_PIXELS:
                raise ImageError("L'image est trop grande (40 mégapixels au plus).", field="image")
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            picture: Image.Image = ImageOps.exif_transpose(opened)
            if picture.mode not in ("RGB", "L"):
                background = Image.new("RGB", picture.size, (255, 255, 255))
                rgba = picture.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                picture = background
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            picture.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
            size = picture.size
    except ImageError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ImageError("Ce fichier n'est pas une image lisible.", field="image") from None
    name = f"{uuid.uuid4().hex}.jpg"
    return CleanImage(
        content=ContentFile(out.getvalue(), name=name),
        name=name,
        width=size[0],
        height=size[1],
    )
