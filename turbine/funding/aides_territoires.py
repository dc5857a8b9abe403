"""Import of aids from Aides-territoires (https://aides-territoires.beta.gouv.fr), the French
state's public catalogue of aids for local projects.

Source: its API (``POST /api/connexion/`` with the personal token in ``X-AUTH-TOKEN`` returns a
short-lived JWT, sent as ``Authorization: Bearer``; ``GET /api/aids/`` is paged, at most 100 items
a page) or a JSON file in the same shape (a list of aids, or a page ``{"results": [...]}``). The
only network call is ``http_fetch``: tests replace it, they never reach the network.

Aids are upserted on their Aides-territoires identifier (``Aid.source_id``). Fields that the
Turbine's staff edited (``Aid.edited_fields``) are never overwritten; nothing is ever deleted.
Values that the tables below do not know are counted and reported, never guessed.

Mapping tables (their label → Turbine's value):

``targeted_audiences`` → beneficiaries
    Communes → commune · Intercommunalités / Pays → epci · Départements → departement ·
    Régions → region · Associations → association · Particuliers → particulier ·
    Agriculteurs → agriculteur · Entreprises privées → entreprise ·
    Entreprises publiques locales (Sem, Spl, SemOp) → entreprise ·
    Établissements publics (écoles, bibliothèques…) / Services de l'État → etablissement-public ·
    Recherche → recherche · Bailleurs sociaux → bailleur-social ·
    Collectivités d'outre-mer à statuts particuliers → (reported)

``aid_types`` → types
    Subvention → subvention · Prêt → pret · Avance récupérable → avance-remboursable ·
    Certificat d'économie d'énergie (CEE) → cee · Ingénierie technique → ingenierie-technique ·
    Ingénierie financière → ingenierie-financiere ·
    Ingénierie Juridique / administrative → ingenierie-juridique ·
    Autre aide financière → (reported)

``recurrence`` → recurrence
    Ponctuelle → ponctuelle · Permanente → permanente · Récurrente → recurrente

``destinations`` → expense types
    Dépenses de fonctionnement → fonctionnement · Dépenses d’investissement → investissement

``mobilization_steps`` → project stages
    Réflexion / conception → reflexion · Mise en œuvre / réalisation → realisation ·
    Usage / valorisation → usage

``categories`` ("Thème|Sous-thème") → themes: the sub-theme is looked up in ``CATEGORY_THEMES``
    (keywords of the sub-theme, accents and case ignored), then the theme in ``THEME_THEMES``;
    neither matching → reported.

``perimeter`` ("Name (Scale)") → perimeter
    France → France · Europe → Union européenne · "X (Région)", "X (Département)",
    "X (Intercommunalité)", "X (Commune)" → the region, department, EPCI or commune named X
    (accents and case ignored; a name shared by several communes is reported, not guessed);
    other scales (Adhoc, Bassin hydrographique...) → reported, and the aid stays a draft.

``financers`` / ``instructors`` → funders, created by name if new; level from ``FUNDER_LEVELS``
    (the first keyword found in the name), État by default.

HTML fields (``description``, ``eligibility``, ``project_examples``, ``contact``) become Markdown
(paragraphs, lists, bold, italics, links); every other tag is dropped.
"""

from __future__ import annotations

import datetime
import json
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from turbine.core.search import fold
from turbine.funding.models import Aid, AidSource, AidStatus, FunderLevel, Perimeter, Scale
from turbine.funding.services.catalogue import (
    FundingError,
    aid_create,
    aid_import_update,
    funder_get_or_create,
    perimeter_search_name,
    perimeters_ensure_loaded,
)

BASE_URL = "https://aides-territoires.beta.gouv.fr"
PAGE_SIZE = 100
SOURCE_NAME = "Aides-territoires"

AUDIENCES = {
    "Communes": "commune",
    "Intercommunalités / Pays": "epci",
    "Départements": "departement",
    "Régions": "region",
    "Associations": "association",
    "Particuliers": "particulier",
    "Agriculteurs": "agriculteur",
    "Entreprises privées": "entreprise",
    "Entreprises publiques locales (Sem, Spl, SemOp)": "entreprise",
    "Établissements publics (écoles, bibliothèques…) / Services de l'État": "etablissement-public",
    "Recherche": "recherche",
    "Bailleurs sociaux": "bailleur-social",
}
AID_TYPES = {
    "Subvention": "subvention",
    "Prêt": "pret",
    "Avance récupérable": "avance-remboursable",
    "Certificat d'économie d'énergie (CEE)": "cee",
    "Ingénierie technique": "ingenierie-technique",
    "Ingénierie financière": "ingenierie-financiere",
    "Ingénierie Juridique / administrative": "ingenierie-juridique",
}
RECURRENCES = {"Ponctuelle": "ponctuelle", "Permanente": "permanente", "Récurrente": "recurrente"}
DESTINATIONS = {
    "Dépenses de fonctionnement": "fonctionnement",
    "Dépenses d’investissement": "investissement",
    "Dépenses d'investissement": "investissement",
}
STEPS = {
    "Réflexion / conception": "reflexion",
    "Mise en œuvre / réalisation": "realisation",
    "Usage / valorisation": "usage",
}
# Keywords of a sub-theme (folded) → Turbine theme; the first match wins.
CATEGORY_THEMES = [
    ("renovation", "renovation-habitat"),
    ("logement", "renovation-habitat"),
    ("batiment", "renovation-habitat"),
    ("energie", "energie"),
    ("chaleur", "energie"),
    ("dechet", "dechets-economie-circulaire"),
    ("economie circulaire", "dechets-economie-circulaire"),
    ("biodiversite", "biodiversite-renaturation"),
    ("espaces verts", "biodiversite-renaturation"),
    ("foret", "biodiversite-renaturation"),
    ("renaturation", "biodiversite-renaturation"),
    ("eau", "eau"),
    ("assainissement", "eau"),
    ("inondation", "eau"),
    ("mobilite", "mobilite"),
    ("transport", "mobilite"),
    ("cyclable", "mobilite"),
    ("velo", "mobilite"),
    ("alimentation", "alimentation"),
    ("agricult", "alimentation"),
    ("friche", "industrie-reconversion"),
    ("industri", "industrie-reconversion"),
    ("emploi", "emploi-formation"),
    ("formation", "emploi-formation"),
    ("education", "education-culture"),
    ("culture", "education-culture"),
    ("sante", "sante-environnement"),
    ("pollution", "sante-environnement"),
    ("solidarit", "solidarite-justice-sociale"),
    ("inclusion", "solidarite-justice-sociale"),
    ("participation", "citoyennete-cooperation"),
    ("citoyen", "citoyennete-cooperation"),
    ("cooperation", "citoyennete-cooperation"),
]
THEME_THEMES = [
    ("energies / dechets", "energie"),
    ("eau", "eau"),
    ("nature / environnement", "biodiversite-renaturation"),
    ("mobilite", "mobilite"),
    ("urbanisme / logement", "renovation-habitat"),
    ("developpement economique", "industrie-reconversion"),
    ("solidarites", "solidarite-justice-sociale"),
    ("culture", "education-culture"),
    ("sante", "sante-environnement"),
    ("alimentation", "alimentation"),
]
FUNDER_LEVELS = [
    ("union europeenne", FunderLevel.EU),
    ("commission europeenne", FunderLevel.EU),
    ("feder", FunderLevel.EU),
    ("ademe", FunderLevel.PUBLIC_BODY),
    ("banque des territoires", FunderLevel.PUBLIC_BODY),
    ("caisse des depots", FunderLevel.PUBLIC_BODY),
    ("agence", FunderLevel.PUBLIC_BODY),
    ("bpifrance", FunderLevel.PUBLIC_BODY),
    ("cerema", FunderLevel.PUBLIC_BODY),
    ("anah", FunderLevel.PUBLIC_BODY),
    ("region", FunderLevel.REGION),
    ("departement", FunderLevel.DEPARTMENT),
    ("conseil departemental", FunderLevel.DEPARTMENT),
    ("metropole", FunderLevel.EPCI),
    ("communaute", FunderLevel.EPCI),
    ("ca ", FunderLevel.EPCI),
    ("cc ", FunderLevel.EPCI),
    ("fondation", FunderLevel.FOUNDATION),
    ("commune", FunderLevel.COMMUNE),
    ("ville de", FunderLevel.COMMUNE),
]
PERIMETER_SCALES = {
    "Région": Scale.REGION,
    "Département": Scale.DEPARTMENT,
    "Intercommunalité": Scale.EPCI,
    "Commune": Scale.COMMUNE,
}


# --- The network seam -------------------------------------------------------------------------


def http_fetch(method: str, url: str, headers: dict[str, str]) -> Any:
    """One HTTP call returning decoded JSON. The only network access of the import (tests
    replace it)."""
    request = urllib.request.Request(url, method=method, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - https only
        return json.load(response)


class AidesTerritoiresClient:
    def __init__(self, *, token: str, base_url: str = BASE_URL) -> None:
        self.token = token
        self.base_url = base_url.rstrip("/")
        self._jwt: str | None = None

    def _bearer(self) -> str:
        if self._jwt is None:
            answer = http_fetch(
                "POST", f"{self.base_url}/api/connexion/", {"X-AUTH-TOKEN": self.token}
            )
            self._jwt = answer["token"]
        return self._jwt

    def aids(self, *, query: str = "", max_pages: int = 1000) -> Iterator[dict]:
        url: str | None = f"{self.base_url}/api/aids/?itemsPerPage={PAGE_SIZE}" + (
            f"&{query}" if query else ""
        )
        pages = 0
        while url and pages < max_pages:
            page = http_fetch(
                "GET",
                url,
                {"Authorization": f"Bearer {self._bearer()}", "Accept": "application/json"},
            )
            yield from page.get("results", [])
            url = page.get("next")
            pages += 1


def aids_from_file(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FundingError(f"Fichier introuvable : {path}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FundingError(f"{path} n'est pas un JSON valide : {exc}.") from None
    if isinstance(data, dict):
        data = data.get("results")
    if not isinstance(data, list):
        raise FundingError(f"{path} doit contenir une liste d'aides ou une page « results ».")
    return data


# --- HTML to Markdown -------------------------------------------------------------------------


class _Markdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.href: list[str | None] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag in ("p", "div", "ul", "ol", "table"):
            self.out.append("\n\n")
        elif tag == "br":
            self.out.append("  \n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.out.append("\n\n### ")
        elif tag == "a":
            href = dict(attrs).get("href")
            ok = bool(href and href.startswith(("http://", "https://", "mailto:")))
            self.href.append(href if ok else None)
            if ok:
                self.out.append("[")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in ("p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"):
            self.out.append("\n\n" if tag != "tr" else "\n")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag in ("td", "th"):
            self.out.append(" ")
        elif tag == "a" and self.href:
            href = self.href.pop()
            if href:
                self.out.append(f"]({href})")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        # Markdown's own characters typed in the source stay literal.
        self.out.append(" ".join(data.replace("*", "\\*").split(" ")).replace("\n", " "))


def html_to_markdown(html: str | None) -> str:
    if not html:
        return ""
    parser = _Markdown()
    parser.feed(html)
    parser.close()
    lines = [
        line.rstrip() if not line.endswith("  ") else line
        for line in "".join(parser.out).split("\n")
    ]
    text = "\n".join(line if line.strip() else "" for line in lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()


def html_to_text(html: str | None) -> str:
    text = html_to_markdown(html).replace("**", "").replace("\\*", "*")
    return "\n".join(line.rstrip() for line in text.split("\n"))


# --- Mapping ----------------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    drafts: int = 0
    kept_staff_fields: int = 0
    unmapped: dict[str, Counter] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def miss(self, kind: str, label: str) -> None:
        self.unmapped.setdefault(kind, Counter())[label] += 1


def _map_list(values: Any, table: dict[str, str], kind: str, report: ImportReport) -> list[str]:
    out = []
    for label in values or ():
        mapped = table.get(str(label).strip())
        if mapped is None:
            report.miss(kind, str(label))
        elif mapped not in out:
            out.append(mapped)
    return out


def _themes(categories: Any, report: ImportReport) -> list[str]:
    out: list[str] = []
    for category in categories or ():
        theme, _, sub = str(category).partition("|")
        found = next((slug for key, slug in CATEGORY_THEMES if key in fold(sub)), None)
        found = found or next((slug for key, slug in THEME_THEMES if key in fold(theme)), None)
        if found is None:
            report.miss("categories", str(category))
        elif found not in out:
            out.append(found)
    return out


class PerimeterResolver:
    """Perimeter labels ("Pas-de-Calais (Département)") → perimeter ids, memoised."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.cache: dict[str, int | None] = {}

    def __call__(self, label: str) -> int | None:
        if label not in self.cache:
            self.cache[label] = self._resolve(label)
        if self.cache[label] is None:
            self.report.miss("perimeter", label)
        return self.cache[label]

    def _resolve(self, label: str) -> int | None:
        label = label.strip()
        if label in ("France", "France (Pays)"):
            return _only(Perimeter.objects.filter(scale=Scale.COUNTRY))
        if label in ("Europe", "Europe (Continent)", "Union européenne"):
            return _only(Perimeter.objects.filter(scale=Scale.EU))
        name, _, scale_label = label.rpartition(" (")
        scale = PERIMETER_SCALES.get(scale_label.rstrip(")"))
        if not name or scale is None:
            return None
        return _only(Perimeter.objects.filter(scale=scale, search_name=perimeter_search_name(name)))


def _only(qs: Any) -> int | None:
    ids = list(qs.values_list("id", flat=True)[:2])
    return ids[0] if len(ids) == 1 else None


def _date(value: Any) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _rate(value: Any) -> int | None:
    try:
        rate = int(value)
    except (TypeError, ValueError):
        return None
    return rate if 0 <= rate <= 100 else None


def _amount(value: Any) -> int | None:
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return None
    return amount if amount > 0 else None


def _funder_level(name: str) -> str:
    folded = fold(name) + " "
    return next((level for key, level in FUNDER_LEVELS if key in folded), FunderLevel.STATE)


def _funders(names: Any) -> list[int]:
    return [
        funder_get_or_create(name=str(n), level=_funder_level(str(n))).pk
        for n in names or ()
        if str(n).strip()
    ]


def map_aid(item: dict, *, report: ImportReport, perimeters: PerimeterResolver) -> dict[str, Any]:
    """Turbine's values for one Aides-territoires aid (the staff's edits are applied later)."""
    description = html_to_markdown(item.get("description"))
    examples = html_to_markdown(item.get("project_examples"))
    if examples:
        description += "\n\n### Exemples de projets\n\n" + examples
    short = html_to_text(item.get("description")).replace("\n", " ")
    perimeter = perimeters(str(item["perimeter"])) if item.get("perimeter") else None
    if not item.get("perimeter"):
        report.miss("perimeter", "(aucun)")
    start, deadline = _date(item.get("start_date")), _date(item.get("submission_deadline"))
    if start and deadline and start > deadline:
        start = None
    low, high = (
        _rate(item.get("subvention_rate_lower_bound")),
        _rate(item.get("subvention_rate_upper_bound")),
    )
    if low is not None and high is not None and low > high:
        low, high = high, low
    recurrence = RECURRENCES.get(str(item.get("recurrence") or "").strip())
    if item.get("recurrence") and recurrence is None:
        report.miss("recurrence", str(item["recurrence"]))
    origin = str(item.get("origin_url") or "")
    return {
        "title": " ".join(str(item.get("name") or "").split())[:300],
        "short_description": (short[:297] + "…") if len(short) > 300 else short,
        "description": description[:50_000],
        "eligibility": html_to_markdown(item.get("eligibility"))[:50_000],
        "contact": html_to_text(item.get("contact"))[:2000],
        "types": _map_list(item.get("aid_types"), AID_TYPES, "aid_types", report),
        "beneficiaries": _map_list(
            item.get("targeted_audiences"), AUDIENCES, "targeted_audiences", report
        ),
        "expense_types": _map_list(item.get("destinations"), DESTINATIONS, "destinations", report),
        "stages": _map_list(item.get("mobilization_steps"), STEPS, "mobilization_steps", report),
        "themes": _themes(item.get("categories"), report),
        "funders": _funders(item.get("financers")),
        "instructors": _funders(item.get("instructors")),
        "perimeters": [perimeter] if perimeter else [],
        "is_call_for_projects": bool(item.get("is_call_for_project")),
        "start_date": start,
        "predeposit_date": _date(item.get("predeposit_date")),
        "deadline": deadline,
        "recurrence": recurrence or "ponctuelle",
        "subsidy_rate_min": low,
        "subsidy_rate_max": high,
        "amount_max": _amount(item.get("loan_amount"))
        or _amount(item.get("recoverable_advance_amount")),
        "amount_comment": " ".join(str(item.get("subvention_comment") or "").split())[:500],
        "origin_url": origin if origin.startswith(("http://", "https://")) else "",
        "application_url": str(item.get("application_url") or "")
        if str(item.get("application_url") or "").startswith(("http://", "https://"))
        else "",
    }


def import_aids(items: list[dict] | Iterator[dict]) -> ImportReport:
    """Upsert aids on their Aides-territoires id. Each aid is written in its own transaction
    (a bad item is reported and skipped, the others are imported)."""
    perimeters_ensure_loaded()
    report = ImportReport()
    resolver = PerimeterResolver(report)
    for item in items:
        source_id = str(item.get("id") or "").strip()
        if not source_id or not item.get("name"):
            report.errors.append(f"Aide sans identifiant ou sans nom : {str(item)[:80]}")
            continue
        try:
            values = map_aid(item, report=report, perimeters=resolver)
            existing = Aid.objects.filter(source_id=source_id).only("pk", "edited_fields").first()
            if existing is None:
                live = item.get("is_live", True) and values["perimeters"]
                aid_create(
                    actor=None,
                    values=values,
                    status=AidStatus.PUBLISHED if live else AidStatus.DRAFT,
                    source=AidSource.AIDES_TERRITOIRES,
                    source_id=source_id,
                )
                report.created += 1
                report.drafts += 0 if live else 1
            else:
                if not values["perimeters"]:
                    values.pop("perimeters")  # never strip a perimeter staff may rely on
                report.kept_staff_fields += len(set(existing.edited_fields) & set(values))
                aid = aid_import_update(aid_id=existing.pk, values=values)
                if aid.changed_fields:  # type: ignore[attr-defined]
                    report.updated += 1
                else:
                    report.unchanged += 1
        except FundingError as exc:
            report.errors.append(f"Aide {source_id} : {exc.message}")
    return report


def import_from_api(*, token: str, query: str = "", max_pages: int = 1000) -> ImportReport:
    client = AidesTerritoiresClient(token=token)
    return import_aids(client.aids(query=query, max_pages=max_pages))
