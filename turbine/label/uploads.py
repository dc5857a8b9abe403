"""Evidence files of label applications: type- and size-checked from their first bytes (PDF,
PNG, JPEG, OpenDocument and Office Open XML), never trusted from the browser. Stored under a
random name, served as attachments with ``nosniff``."""

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
ACCEPT = ".pdf,.png,.jpg,.jpeg," + ",".join(_ZIP_TYPES)


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str
    size: int


def check_evidence(upload: UploadedFile) -> CheckedFile:
    size = upload.size or 0
    if size == 0:
        raise TurbineError("Le fichier est vide.", field="file")
    if size > MAX_BYTES:
        raise TurbineError("Le fichier dépasse 10 Mo.", field="file")
    refused = TurbineError(
        "Ce type de fichier n'est pas accepté : PDF, image PNG ou JPEG, document, tableur ou "
        "présentation (OpenDocument ou Office).",
        field="file",
    )
    extension = PurePath(upload.name or "").suffix.lower()
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return CheckedFile("application/pdf", ".pdf", size)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return CheckedFile("image/png", ".png", size)
    if head.startswith(b"\xff\xd8\xff"):
        return CheckedFile("image/jpeg", ".jpg", size)
    if head.startswith(b"PK\x03\x04") and extension in _ZIP_TYPES:
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise refused from None
        finally:
            upload.seek(0)
        marker = "mimetype" if extension.startswith(".od") else "[Content_Types].xml"
        if marker in names:
            return CheckedFile(_ZIP_TYPES[extension], extension, size)
    raise refused


def stored_name(checked: CheckedFile) -> str:
    return f"{secrets.token_hex(16)}{checked.extension}"
