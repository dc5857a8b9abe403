"""Shared documents of the cooperation app (meetings, working groups): type- and size-checked.

The type is read from the file's first bytes, never trusted from the browser or the name alone:
PDF, PNG, JPEG, OpenDocument and Office Open XML (zip archives whose name says which), plain
text and CSV (valid UTF-8 without NUL bytes). Files are stored under a random name and served
as attachments with ``nosniff``.
"""

from __future__ import annotations

import secrets
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile

from turbine.core.exceptions import TurbineError

MAX_BYTES = 10 * 1024 * 1024

_ZIP_TYPES = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_TEXT_TYPES = {".txt": "text/plain", ".csv": "text/csv", ".md": "text/markdown"}
ACCEPT = ".pdf,.png,.jpg,.jpeg," + ",".join([*_ZIP_TYPES, *_TEXT_TYPES])


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int


def check_document(upload: UploadedFile) -> CheckedFile:
    """Raises a French ``TurbineError`` (field ``file``) unless the file is an accepted type of
    at most 10 Mo."""
    size = upload.size or 0
    if size == 0:
        raise TurbineError("Le fichier est vide.", field="file")
    if size > MAX_BYTES:
        raise TurbineError("Le fichier dépasse 10 Mo.", field="file")
    extension = PurePath(upload.name or "").suffix.lower()
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    refused = TurbineError(
        "Ce type de fichier n'est pas accepté : PDF, image PNG ou JPEG, document texte, "
        "tableur ou présentation (OpenDocument ou Office), texte ou CSV.",
        field="file",
    )
    if head.startswith(b"%PDF-"):
        return CheckedFile("application/pdf", ".pdf", size)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return CheckedFile("image/png", ".png", size)
    if head.startswith(b"\xff\xd8\xff"):
        return CheckedFile("image/jpeg", ".jpg", size)
    if head.startswith(b"PK\x03\x04"):
        if extension not in _ZIP_TYPES:
            raise refused
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise refused from None
        finally:
            upload.seek(0)
        if extension.startswith(".od") and "mimetype" not in names:
            raise refused
        if not extension.startswith(".od") and "[Content_Types].xml" not in names:
            raise refused
        return CheckedFile(_ZIP_TYPES[extension], extension, size)
    if extension in _TEXT_TYPES:
        data = upload.read()
        upload.seek(0)
        if b"\x00" in data:
            raise refused
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise TurbineError(
                "Un fichier texte doit être encodé en UTF-8.", field="file"
            ) from None
        return CheckedFile(_TEXT_TYPES[extension], extension, size)
    raise refused


def stored_name(checked: CheckedFile) -> str:
    return f"{secrets.token_hex(16)}{checked.extension}"
