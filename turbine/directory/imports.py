"""Staff imports of CSV files (organisations, projects), checked before anything is saved.

An app registers an importer (``register``): its columns, a ``check`` function that turns one
row into the keyword arguments of its create service (or raises ``ImportRowError`` with a
French reason) and a ``save`` function. ``import_preview`` checks every row and keeps the file
in an ``ImportBatch`` only when all rows are valid; ``import_run`` saves the rows in one
transaction, so that a failure midway saves nothing; its progress is kept in the cache for the
progress page.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from turbine.accounts.models import User
from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.core.models import Theme
from turbine.directory import services, tasks
from turbine.directory.models import ImportBatch, ImportStatus, Network, Organisation
from turbine.territory.selectors import commune_list, get_current_territory

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
PROGRESS_EVERY = 50


class ImportRowError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ImportError_(TurbineError):
    pass


@dataclass(frozen=True)
class Importer:
    kind: str
    label: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    check: Callable[[dict[str, str]], dict[str, Any]]
    save: Callable[[User, dict[str, Any]], Any]
    title: Callable[[dict[str, Any]], str]


_importers: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    _importers[importer.kind] = importer


def importers() -> list[Importer]:
    return list(_importers.values())


def get(kind: str) -> Importer:
    if kind not in _importers:
        raise ImportError_("Type d'import inconnu.", field="kind")
    return _importers[kind]


@dataclass
class Preview:
    importer: Importer
    rows_total: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    sample: list[str] = field(default_factory=list)
    batch: ImportBatch | None = None


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise ImportError_("Le fichier dépasse 5 Mo : découpez-le.", field="file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportError_("Le fichier n'est pas un texte lisible (UTF-8 attendu).", field="file")


def _rows(text: str, importer: Importer) -> list[tuple[int, dict[str, str]]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    try:
        return _read_rows(reader, importer)
    except csv.Error as exc:
        # A field over csv.field_size_limit() (131,072 characters) or a broken quote.
        too_long = "field larger than field limit" in str(exc)
        reason = (
            f"un champ dépasse {csv.field_size_limit():,} caractères".replace(",", "\u202f")
            if too_long
            else "le texte est mal formé (guillemet non fermé ?)"
        )
        # The reader stops before counting the line it could not read.
        raise ImportError_(f"Ligne {reader.line_num + 1} : {reason}.", field="file") from None


def _read_rows(reader: csv.DictReader, importer: Importer) -> list[tuple[int, dict[str, str]]]:
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in importer.required if c not in headers]
    if missing:
        raise ImportError_(
            "Colonnes obligatoires absentes : "
            + ", ".join(missing)
            + ". Colonnes possibles : "
            + ", ".join(importer.columns)
            + ".",
            field="file",
        )
    reader.fieldnames = headers
    rows = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            raise ImportError_(f"Le fichier dépasse {MAX_ROWS} lignes : découpez-le.", field="file")
        cleaned = {k: (v or "").strip() for k, v in row.items() if k}
        if any(cleaned.values()):
            # Line numbers as a spreadsheet shows them: the header is line 1.
            rows.append((reader.line_num, cleaned))
    if not rows:
        raise ImportError_("Le fichier ne contient aucune ligne de données.", field="file")
    return rows


def import_preview(*, user: User, kind: str, filename: str, raw: bytes) -> Preview:
    """Check every row. Nothing of the content is saved; the file is kept (as an
    ``ImportBatch`` to confirm) only when every row is valid."""
    if not user.has_perm("directory.import"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine importe des données.")
    importer = get(kind)
    text = decode(raw)
    rows = _rows(text, importer)
    preview = Preview(importer=importer, rows_total=len(rows))
    for line, row in rows:
        try:
            data = importer.check(row)
        except ImportRowError as error:
            preview.errors.append((line, error.message))
        else:
            if len(preview.sample) < 20:
                preview.sample.append(importer.title(data))
    if not preview.errors:
        preview.batch = ImportBatch.objects.create(
            kind=kind,
            filename=filename[:255],
            content=text,
            rows_total=len(rows),
            created_by=user,
        )
    return preview


def progress_key(batch_id: int) -> str:
    return f"directory:import:{batch_id}:done"


def import_confirm(*, user: User, batch_id: int) -> ImportBatch:
    """Queue a checked import; the task runs once the transaction commits."""
    if not user.has_perm("directory.import"):
        raise PermissionDeniedError("Seule l'équipe de la Turbine importe des données.")

    with transaction.atomic():
        updated = ImportBatch.objects.filter(
            pk=batch_id, status=ImportStatus.PREVIEW, created_by=user
        ).update(status=ImportStatus.QUEUED)
        if not updated:
            raise ImportError_("Cet import n'est plus à confirmer.")
        transaction.on_commit(lambda: tasks.run_import.delay(batch_id=batch_id))
    return ImportBatch.objects.get(pk=batch_id)


def import_run(*, batch_id: int) -> ImportBatch:
    """Save every row of a confirmed import in one transaction; on the first failure nothing
    is saved and the batch says which line failed and why. Idempotent: only a queued batch
    runs."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    )
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if not claimed:
        return batch
    importer = get(batch.kind)
    cache.set(progress_key(batch_id), 0, 3600)
    failed_line = 0
    try:
        rows = _rows(batch.content, importer)
        with transaction.atomic():
            for done, (line, row) in enumerate(rows, start=1):
                failed_line = line  # the line being saved, if it fails
                importer.save(batch.created_by, importer.check(row))
                if done % PROGRESS_EVERY == 0:
                    cache.set(progress_key(batch_id), done, 3600)
    except (ImportRowError, TurbineError) as error:
        batch.status = ImportStatus.FAILED
        batch.message = f"Ligne {failed_line} : {error.message} Aucune ligne n'a été enregistrée."
    else:
        batch.status = ImportStatus.DONE
        batch.created_count = len(rows)
        batch.message = f"{len(rows)} lignes importées."
        batch.content = ""  # the rows now live in the database
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "message", "created_count", "content", "finished_at"])
    cache.set(progress_key(batch_id), batch.created_count, 3600)
    return batch


# --- Organisations ----------------------------------------------------------------------------

ORGANISATION_COLUMNS = (
    "nom",
    "type",
    "famille",
    "siren",
    "rna",
    "adresse",
    "commune",
    "latitude",
    "longitude",
    "themes",
    "reseaux",
    "site_web",
    "description",
    "email_contact",
    "telephone_contact",
    "contact_public",
)


def split_list(value: str) -> list[str]:
    return [v.strip() for v in value.replace(";", "|").replace(",", "|").split("|") if v.strip()]


def parse_float(value: str, label: str) -> float | None:
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        raise ImportRowError(f"{label} n'est pas un nombre : « {value} ».") from None
    # float() reads "nan" and "inf": stored, they broke map.geojson and the map for everyone.
    if not math.isfinite(number):
        raise ImportRowError(f"{label} n'est pas un nombre : « {value} ».")
    return number


def parse_bool(value: str) -> bool:
    return value.strip().lower() in {"oui", "o", "yes", "true", "1", "vrai", "x"}


def lookup_themes(slugs: list[str]) -> list[Any]:
    themes = {t.slug: t for t in Theme.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in themes]
    if unknown:
        raise ImportRowError("Thème inconnu : " + ", ".join(unknown) + ".")
    return [themes[s] for s in slugs]


def lookup_communes(codes: list[str]) -> list[Any]:
    communes = {
        c.code: c for c in commune_list(territory=get_current_territory()).filter(code__in=codes)
    }
    unknown = [c for c in codes if c not in communes]
    if unknown:
        raise ImportRowError(
            "Commune inconnue sur le territoire (code INSEE) : " + ", ".join(unknown) + "."
        )
    return [communes[c] for c in codes]


def check_organisation(row: dict[str, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": row.get("nom", ""),
        "kind": row.get("type", ""),
        "family": row.get("famille", ""),
        "siren": row.get("siren", "").replace(" ", ""),
        "rna": row.get("rna", "").replace(" ", "").upper(),
        "address": row.get("adresse", ""),
        "latitude": parse_float(row.get("latitude", ""), "La latitude"),
        "longitude": parse_float(row.get("longitude", ""), "La longitude"),
        "website": row.get("site_web", ""),
        "description": row.get("description", ""),
        "contact_email": row.get("email_contact", ""),
        "contact_phone": row.get("telephone_contact", ""),
        "contact_public": parse_bool(row.get("contact_public", "")),
    }
    if not fields["name"]:
        raise ImportRowError("Le nom est vide.")
    if (fields["latitude"] is None) != (fields["longitude"] is None):
        raise ImportRowError("Indiquez la latitude et la longitude, ou aucune des deux.")
    codes = split_list(row.get("commune", ""))
    fields["commune"] = lookup_communes(codes[:1])[0] if codes else None
    try:
        Organisation(**fields).full_clean(exclude=["created_by"], validate_unique=False)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        label = Organisation._meta.get_field(name).verbose_name
        raise ImportRowError(f"{str(label).capitalize()} : {messages[0]}") from None
    fields["themes"] = lookup_themes(split_list(row.get("themes", "")))
    slugs = split_list(row.get("reseaux", ""))
    networks = {n.slug: n for n in Network.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in networks]
    if unknown:
        raise ImportRowError("Réseau inconnu : " + ", ".join(unknown) + ".")
    fields["networks"] = [networks[s] for s in slugs]
    return fields


def save_organisation(user: User, fields: dict[str, Any]) -> Any:
    return services.organisation_create(user=user, creator_is_admin=False, **fields)


register(
    Importer(
        kind="organisations",
        label="Organisations",
        columns=ORGANISATION_COLUMNS,
        required=("nom", "type", "famille"),
        check=check_organisation,
        save=save_organisation,
        title=lambda data: data["name"],
    )
)
