"""Import of aids from Aides-territoires (https://aides-territoires.beta.gouv.fr), the French
state's public catalogue of aids for local projects.

Source: its API (``POST /api/connexion/`` with the personal token in ``X-AUTH-TOKEN`` returns a
short-lived JWT, sent as ``Authorization: Bearer``; ``GET /api/aids/`` is paged, at most 100 items
a page) or a JSON file in the same shape (a list of aids, or a page ``{"results": [...]}``). The
only network call is ``http_fetch``: tests replace it, they never reach the network.

Aids are upserted on their Aides-territoires identifier (``Aid.source_id``). Fields that the
Turbine's staff edited (``Aid.edited_fields``) are never overwritten; nothing is ever deleted.
Values that the tables below do not know are counted and reported, never guessed.

Both eras of the API are read (see ``shared/formats/aides-territoires.md``, "Two eras"): the
Django era's ``"Name (Scale)"`` perimeters, plural audiences, ``"Thème|Sous-thème"`` categories,
straight apostrophes; the Symfony era's bare ``perimeter`` + ``perimeter_scale``, singular
audiences, ``"Thème / Sous-thème"`` categories, typographic apostrophes. The mapping tables below
(``*_LABELS``) are looked up on whole labels, never on substrings; an aid whose perimeter is not
found stays a draft and is listed in the report, for staff to attach a perimeter by hand.

HTML fields (``description``, ``eligibility``, ``project_examples``, ``contact``) become Markdown
(paragraphs, lists, bold, italics, links); every other tag is dropped.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from turbine.core import http
from turbine.core.search import fold
from turbine.funding.models import Aid, AidSource, AidStatus, FunderLevel, Perimeter, Scale
from turbine.funding.services.catalogue import (
    FundingError,
    aid_create,
    aid_import_update,
    aids_unpublish_missing,
    catalogue_changed,
    funder_get_or_create,
    perimeter_search_name,
    perimeters_ensure_loaded,
)

BASE_URL = "https://aides-territoires.beta.gouv.fr"
PAGE_SIZE = 100
SOURCE_NAME = "Aides-territoires"

# Tables are keyed on ``label_key(label)``: accents, case, apostrophes and spacing ignored, so
# "Dépenses d’investissement" and "Dépenses d'investissement" are one label. Whole labels only:
# a key is never looked up as a substring ("réseau" holds "eau", "Information" holds
# "formation").
AUDIENCES_LABELS = {
    # Django era (plural labels; 2021 data says "EPCI à fiscalité propre").
    "Communes": "commune",
    "Intercommunalités / Pays": "epci",
    "EPCI à fiscalité propre": "epci",
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
    # Symfony era (singular labels).
    "Commune": "commune",
    "Intercommunalité / Pays": "epci",
    "Département": "departement",
    "Région": "region",
    "Association": "association",
    "Particulier": "particulier",
    "Agriculteur": "agriculteur",
    "Entreprise privée": "entreprise",
    "Entreprise publique locale (Sem, Spl, SemOp)": "entreprise",
    "Etablissement public dont services de l'Etat": "etablissement-public",
    "Bailleur social": "bailleur-social",
}
AID_TYPES_LABELS = {
    "Subvention": "subvention",
    "Prêt": "pret",
    "Avance récupérable": "avance-remboursable",
    "Certificat d'économie d'énergie (CEE)": "cee",
    "Autre aide financière": "autre-aide-financiere",
    "Ingénierie technique": "ingenierie-technique",
    "Ingénierie financière": "ingenierie-financiere",
    "Ingénierie Juridique / administrative": "ingenierie-juridique",
}
RECURRENCES_LABELS = {
    "Ponctuelle": "ponctuelle",
    "Permanente": "permanente",
    "Récurrente": "recurrente",
}
DESTINATIONS_LABELS = {
    "Dépenses de fonctionnement": "fonctionnement",
    "Dépenses d'investissement": "investissement",
}
STEPS_LABELS = {
    "Réflexion / conception": "reflexion",
    "Mise en œuvre / réalisation": "realisation",
    "Usage / valorisation": "usage",
}
# Aides-territoires themes → Turbine theme (None: no Turbine theme of its own, the sub-theme
# decides). A category maps through its sub-theme first, then its theme.
CATEGORY_THEME_LABELS: dict[str, str | None] = {
    "Culture et identité collective / patrimoine / sports": "education-culture",
    "Développement économique / production et consommation": "industrie-reconversion",
    "Eau et milieux aquatiques": "eau",
    "Énergies / Déchets": None,
    "Fonctions support": None,
    "Mobilité / transports": "mobilite",
    "Nature / environnement": "biodiversite-renaturation",
    "Solidarités / lien social": "solidarite-justice-sociale",
    "Urbanisme / Logement / Aménagement": "renovation-habitat",
    "Santé": "sante-environnement",
    "Alimentation": "alimentation",
    "Éducation et renforcement des compétences": "education-culture",
    "Numérique": None,
}
CATEGORY_SUBTHEME_LABELS = {
    "Énergies renouvelables": "energie",
    "Économie d'énergie et rénovation énergétique": "energie",
    "Rénovation énergétique": "renovation-habitat",
    "Réseaux de chaleur": "energie",
    "Transition énergétique": "energie",
    "Déchets": "dechets-economie-circulaire",
    "Économie circulaire": "dechets-economie-circulaire",
    "Prévention et gestion des déchets": "dechets-economie-circulaire",
    "Réemploi et réparation": "dechets-economie-circulaire",
    "Biodiversité": "biodiversite-renaturation",
    "Forêts": "biodiversite-renaturation",
    "Espaces verts": "biodiversite-renaturation",
    "Milieux humides": "biodiversite-renaturation",
    "Sols": "biodiversite-renaturation",
    "Qualité de l'air": "sante-environnement",
    "Risques naturels": "eau",
    "Eau potable": "eau",
    "Assainissement des eaux": "eau",
    "Eau pluviale": "eau",
    "Milieux aquatiques": "eau",
    "Cours d'eau / canaux / plans d'eau": "eau",
    "Mobilité pour tous": "mobilite",
    "Modes actifs : vélo, marche et aménagements associés": "mobilite",
    "Pistes cyclables / modes actifs": "mobilite",
    "Transports collectifs et optimisation des trafics routiers": "mobilite",
    "Mobilité partagée": "mobilite",
    "Logistique": "mobilite",
    "Bâtiments et construction": "renovation-habitat",
    "Logement et habitat": "renovation-habitat",
    "Friches": "industrie-reconversion",
    "Foncier": None,
    "Aménagement de l'espace public et paysage": "biodiversite-renaturation",
    "Commerces et services": "industrie-reconversion",
    "Industrie": "industrie-reconversion",
    "Économie sociale et solidaire": "solidarite-justice-sociale",
    "Emploi": "emploi-formation",
    "Formation professionnelle": "emploi-formation",
    "Agriculture et agroalimentaire": "alimentation",
    "Alimentation": "alimentation",
    "Circuits courts / Filières": "alimentation",
    "Culture": "education-culture",
    "Patrimoine et monuments historiques": "education-culture",
    "Sports": "education-culture",
    "Éducation": "education-culture",
    "Jeunesse": "education-culture",
    "Santé": "sante-environnement",
    "Inclusion sociale": "solidarite-justice-sociale",
    "Cohésion sociale et inclusion": "solidarite-justice-sociale",
    "Lutte contre la précarité": "solidarite-justice-sociale",
    "Accès aux services": "solidarite-justice-sociale",
    "Citoyenneté": "citoyennete-cooperation",
    "Démocratie participative": "citoyennete-cooperation",
    "Appui méthodologique": None,
    "Innovation, créativité et recherche": None,
}
# Funder name keywords (whole words, folded) → level; the first row found wins. Staff correct
# a funder's level in the admin: the import never changes the level of a funder that exists.
FUNDER_LEVELS = [
    ("union europeenne", FunderLevel.EU),
    ("commission europeenne", FunderLevel.EU),
    ("feder", FunderLevel.EU),
    ("feader", FunderLevel.EU),
    ("leader", FunderLevel.EU),
    ("banque europeenne d investissement", FunderLevel.EU),
    ("bei", FunderLevel.EU),
    ("dreal", FunderLevel.STATE),
    ("draaf", FunderLevel.STATE),
    ("ddt", FunderLevel.STATE),
    ("ddtm", FunderLevel.STATE),
    ("dreets", FunderLevel.STATE),
    ("drac", FunderLevel.STATE),
    ("prefecture", FunderLevel.STATE),
    ("ministere", FunderLevel.STATE),
    ("ademe", FunderLevel.PUBLIC_BODY),
    ("banque des territoires", FunderLevel.PUBLIC_BODY),
    ("caisse des depots", FunderLevel.PUBLIC_BODY),
    ("agence", FunderLevel.PUBLIC_BODY),
    ("bpifrance", FunderLevel.PUBLIC_BODY),
    ("cerema", FunderLevel.PUBLIC_BODY),
    ("anah", FunderLevel.PUBLIC_BODY),
    ("parc naturel regional", FunderLevel.EPCI),
    ("gal", FunderLevel.EPCI),
    ("groupe d action locale", FunderLevel.EPCI),
    ("region", FunderLevel.REGION),
    ("conseil regional", FunderLevel.REGION),
    ("departement", FunderLevel.DEPARTMENT),
    ("conseil departemental", FunderLevel.DEPARTMENT),
    ("metropole", FunderLevel.EPCI),
    ("communaute", FunderLevel.EPCI),
    ("ca", FunderLevel.EPCI),
    ("cc", FunderLevel.EPCI),
    ("fondation", FunderLevel.FOUNDATION),
    ("commune", FunderLevel.COMMUNE),
    ("ville de", FunderLevel.COMMUNE),
    ("mairie", FunderLevel.COMMUNE),
]
# Perimeter scales of both eras: the Django era's suffix ("Lens (Commune – 62300)",
# "CA de Lens - Liévin (EPCI)") and the Symfony era's ``perimeter_scale``. Scales Turbine has
# no perimeter for (Bassin hydrographique, Outre-mer, Ad-hoc...) are absent: reported, draft.
PERIMETER_SCALE_LABELS = {
    "Région": Scale.REGION,
    "Département": Scale.DEPARTMENT,
    "EPCI": Scale.EPCI,
    "Intercommunalité": Scale.EPCI,
    "Commune": Scale.COMMUNE,
    "Pays": Scale.COUNTRY,
    "Continent": Scale.EU,
}
# Bare names: Turbine's territory is in metropolitan France, so an aid for it is open here.
PERIMETER_BARE_NAMES = {
    "France": Scale.COUNTRY,
    "France métropolitaine": Scale.COUNTRY,
    "Europe": Scale.EU,
    "Union européenne": Scale.EU,
}


def label_key(label: Any) -> str:
    """The key a label is looked up by: folded, straight apostrophes, spacing collapsed."""
    text = str(label).replace("’", "'").replace("‘", "'").replace("\xa0", " ")
    return " ".join(fold(text).split())


def _keyed(table: dict[str, Any]) -> dict[str, Any]:
    return {label_key(label): value for label, value in table.items()}


AUDIENCES = _keyed(AUDIENCES_LABELS)
AID_TYPES = _keyed(AID_TYPES_LABELS)
RECURRENCES = _keyed(RECURRENCES_LABELS)
DESTINATIONS = _keyed(DESTINATIONS_LABELS)
STEPS = _keyed(STEPS_LABELS)
CATEGORY_THEMES = _keyed(CATEGORY_THEME_LABELS)
CATEGORY_SUBTHEMES = _keyed(CATEGORY_SUBTHEME_LABELS)
PERIMETER_SCALES = _keyed(PERIMETER_SCALE_LABELS)
PERIMETER_BARE = _keyed(PERIMETER_BARE_NAMES)


# --- The network seam -------------------------------------------------------------------------


def http_fetch(method: str, url: str, headers: dict[str, str]) -> Any:
    """One HTTP call returning decoded JSON. The only network access of the import (tests
    replace it)."""
    return http.fetch_json(url, method=method, headers=headers, timeout=30)


class AidesTerritoiresClient:
    def __init__(self, *, token: str, base_url: str = BASE_URL) -> None:
        self.token = token
        self.base_url = base_url.rstrip("/")
        self._jwt: str | None = None
        self.complete = False  # every page of the last ``aids`` call was read

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
        self.complete = False
        while url and pages < max_pages:
            page = http_fetch(
                "GET",
                url,
                {"Authorization": f"Bearer {self._bearer()}", "Accept": "application/json"},
            )
            yield from page.get("results", [])
            url = page.get("next")
            pages += 1
        self.complete = not url


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

_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*"}
_BLOCKS = ("p", "div", "ul", "ol", "table", "blockquote", "section", "article")
_SPACES = re.compile(r"\s+")


class _Markdown(HTMLParser):
    """Real-world HTML (spaces and line breaks inside emphasis, ``&nbsp;`` indentation, ``\r\n``
    inside paragraphs, span soup) → Markdown that renders as intended: emphasis hugs its text
    (``**texte**``, never ``** texte **`` which Markdown prints as-is), and no line starts with
    spaces (which Markdown would turn into a code block)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.href: list[str | None] = []
        self.emphasis: list[tuple[str, int]] = []  # (marker, index in out where it opened)
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag in _BLOCKS:
            self.out.append("\n\n")
        elif tag == "br":
            self.out.append("  \n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in _EMPHASIS:
            self.emphasis.append((_EMPHASIS[tag], len(self.out)))
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
        elif tag in (*_BLOCKS, "h1", "h2", "h3", "h4", "h5", "h6"):
            self.out.append("\n\n")
        elif tag == "tr":
            self.out.append("\n")
        elif tag in ("td", "th"):
            self.out.append(" ")
        elif tag in _EMPHASIS:
            self._close_emphasis(_EMPHASIS[tag])
        elif tag == "a" and self.href:
            href = self.href.pop()
            if href:
                self.out.append(f"]({href})")

    def _close_emphasis(self, marker: str) -> None:
        if not self.emphasis or self.emphasis[-1][0] != marker:
            return  # a stray closing tag: nothing to close
        _, at = self.emphasis.pop()
        inner = "".join(self.out[at:])
        del self.out[at:]
        text = inner.strip(" ")
        if not text or "\n" in text or "[" in text:
            # Empty, across a line break or around a link: Markdown would print the markers.
            self.out.append(inner)
            return
        lead = " " if inner.startswith(" ") else ""
        trail = " " if inner.endswith(" ") else ""
        self.out.append(f"{lead}{marker}{text}{marker}{trail}")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        # Every run of whitespace (\r\n, tabs, &nbsp;) is one space; Markdown's own characters
        # typed in the source stay literal.
        self.out.append(_SPACES.sub(" ", data.replace("\xa0", " ")).replace("*", "\\*"))

    def text(self) -> str:
        while self.emphasis:  # unclosed emphasis: its text, without markers
            self.emphasis.pop()
        return "".join(self.out)


def html_to_markdown(html: str | None) -> str:
    if not html:
        return ""
    parser = _Markdown()
    parser.feed(html.replace("\r\n", "\n").replace("\r", "\n"))
    parser.close()
    lines = []
    for line in parser.text().split("\n"):
        hard_break = line.endswith("  ") and line.strip()
        line = " ".join(line.split(" ")).strip()
        line = re.sub(" {2,}", " ", line)
        lines.append(line + "  " if hard_break else line)
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    # A hard break right before a paragraph break, or a list item left empty, is noise.
    text = re.sub(r" {2}\n\n", "\n\n", text)
    text = re.sub(r"(?m)^- *$\n?", "", text)
    return text.strip().removesuffix("  ")


def html_to_text(html: str | None) -> str:
    text = html_to_markdown(html).replace("**", "").replace("\\*", "*")
    return "\n".join(line.rstrip() for line in text.split("\n"))


# --- Mapping ----------------------------------------------------------------------------------


@dataclass
class ImportReport:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    drafts: int = 0
    unpublished: int = 0
    kept_staff_fields: int = 0
    unmapped: dict[str, Counter] = field(default_factory=dict)
    # Aids kept as drafts because their perimeter is not known: (id, title, perimeter label).
    unresolved: list[tuple[str, str, str]] = field(default_factory=list)
    # Staff-edited aids gone from a complete run: left published, to be reviewed by hand.
    to_review: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def miss(self, kind: str, label: str) -> None:
        self.unmapped.setdefault(kind, Counter())[label] += 1

    def lines(self) -> list[str]:
        """The report in French, one line a fact, for the command line and staff."""
        out = [
            f"{self.read} aide(s) lue(s) : {self.created} aide(s) créée(s) (dont {self.drafts} "
            f"en brouillon faute de périmètre), {self.updated} mise(s) à jour, "
            f"{self.unchanged} inchangée(s), {self.unpublished} dépubliée(s) ; "
            f"{self.kept_staff_fields} champ(s) modifié(s) par l'équipe conservé(s)."
        ]
        for kind, counter in sorted(self.unmapped.items()):
            values = ", ".join(f"« {label} » ×{n}" for label, n in counter.most_common())
            out.append(f"Valeurs non traduites ({UNMAPPED_KINDS.get(kind, kind)}) : {values}")
        for source_id, title, label in self.unresolved:
            out.append(
                f"Brouillon, périmètre inconnu « {label} » : aide {source_id} « {title} » "
                "(rattachez-lui un périmètre dans l'administration pour la publier)."
            )
        for source_id, title in self.to_review:
            out.append(
                f"À revoir : l'aide {source_id} « {title} », modifiée par l'équipe, n'est plus "
                "sur Aides-territoires ; elle reste publiée."
            )
        return out + self.errors


UNMAPPED_KINDS = {
    "aid_types": "types d'aide",
    "targeted_audiences": "bénéficiaires",
    "destinations": "types de dépenses",
    "mobilization_steps": "étapes",
    "categories": "thématiques",
    "perimeter": "périmètres",
    "recurrence": "récurrence",
}


def _map_list(values: Any, table: dict[str, str], kind: str, report: ImportReport) -> list[str]:
    out = []
    for label in values or ():
        mapped = table.get(label_key(label))
        if mapped is None:
            report.miss(kind, " ".join(str(label).split()))
        elif mapped not in out:
            out.append(mapped)
    return out


def split_category(category: str) -> tuple[str, str] | None:
    """("Thème", "Sous-thème") of a category of either era: "Thème|Sous-thème", or
    "Thème / Sous-thème" where theme names themselves hold " / " ("Énergies / Déchets / Déchets"):
    the last separator that leaves a known theme on its left wins."""
    if "|" in category:
        theme, _, sub = category.partition("|")
        return theme.strip(), sub.strip()
    parts = category.split(" / ")
    for cut in range(len(parts) - 1, 0, -1):
        theme = " / ".join(parts[:cut])
        if label_key(theme) in CATEGORY_THEMES:
            return theme.strip(), " / ".join(parts[cut:]).strip()
    if label_key(category) in CATEGORY_THEMES:
        return category.strip(), ""
    return None


def _themes(categories: Any, report: ImportReport) -> list[str]:
    out: list[str] = []
    for category in categories or ():
        label = " ".join(str(category).split())
        split = split_category(label)
        found = None
        if split is not None:
            theme, sub = split
            found = CATEGORY_SUBTHEMES.get(label_key(sub)) or CATEGORY_THEMES.get(label_key(theme))
        if found is None:
            report.miss("categories", label)
        elif found not in out:
            out.append(found)
    return out


_DJANGO_PERIMETER = re.compile(r"^(?P<name>.+) \((?P<scale>[^()]+)\)$")


class PerimeterResolver:
    """Perimeters of either era → perimeter ids, memoised: "Pas-de-Calais (Département)",
    "Lens (Commune – 62300)", "CA de Lens - Liévin (EPCI)", or a bare name with its
    ``perimeter_scale`` ("Lens" + "commune")."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.cache: dict[tuple[str, str], int | None] = {}

    def __call__(self, label: str, scale: str = "") -> int | None:
        key = (label, scale)
        if key not in self.cache:
            self.cache[key] = self._resolve(label.strip(), scale.strip())
        if self.cache[key] is None:
            self.report.miss("perimeter", self.display(label, scale))
        return self.cache[key]

    @staticmethod
    def display(label: str, scale: str = "") -> str:
        label = " ".join(label.split())
        return f"{label} ({scale})" if scale and not label.endswith(")") else label

    def _resolve(self, label: str, scale_label: str) -> int | None:
        bare = PERIMETER_BARE.get(label_key(label))
        if bare is not None:
            return _only(Perimeter.objects.filter(scale=bare))
        match = _DJANGO_PERIMETER.match(label)
        if match:
            suffix = match["scale"]
            head, _, codes = suffix.replace("–", "-").partition(" - ")
            scale = PERIMETER_SCALES.get(label_key(head))
            if scale is not None:
                if scale in (Scale.COUNTRY, Scale.EU):
                    return _only(Perimeter.objects.filter(scale=scale))
                return self._named(match["name"], scale, codes)
        scale = PERIMETER_SCALES.get(label_key(scale_label)) if scale_label else None
        if scale is None:
            return None
        if scale in (Scale.COUNTRY, Scale.EU):
            return _only(Perimeter.objects.filter(scale=scale))
        return self._named(label, scale, "")

    @staticmethod
    def _named(name: str, scale: str, codes: str) -> int | None:
        qs = Perimeter.objects.filter(scale=scale, search_name=perimeter_search_name(name))
        if scale == Scale.COMMUNE and codes:
            # Homonyms ("Neuville") are told apart by the department of their postal codes.
            zipcodes = [c.strip() for c in codes.split(",") if c.strip()[:2].isdigit()]
            departments = {z[:3] if z.startswith("97") else z[:2] for z in zipcodes}
            if len(qs[:2]) > 1 and departments:
                qs = qs.filter(department__code__in=departments)
        return _only(qs)


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


def funder_level(name: str) -> str:
    """A funder's level inferred from its name (whole words of ``FUNDER_LEVELS``)."""
    words = " " + " ".join(re.findall(r"\w+", fold(name))) + " "
    return next((level for key, level in FUNDER_LEVELS if f" {key} " in words), FunderLevel.STATE)


def _funders(names: Any, full: Any = None) -> list[int]:
    logos = {
        str(f.get("name")): str(f.get("logo") or "")
        for f in full or ()
        if isinstance(f, dict) and str(f.get("logo") or "").startswith(("http://", "https://"))
    }
    return [
        funder_get_or_create(
            name=str(n), level=funder_level(str(n)), logo_url=logos.get(str(n), "")[:200]
        ).pk
        for n in names or ()
        if str(n).strip()
    ]


def _url(value: Any) -> str:
    url = str(value or "").strip()
    return url if url.startswith(("http://", "https://")) else ""


def map_aid(item: dict, *, report: ImportReport, perimeters: PerimeterResolver) -> dict[str, Any]:
    """Turbine's values for one Aides-territoires aid (the staff's edits are applied later)."""
    description = html_to_markdown(item.get("description"))
    examples = html_to_markdown(item.get("project_examples"))
    if examples:
        description += "\n\n### Exemples de projets\n\n" + examples
    programs = [" ".join(str(p).split()) for p in item.get("programs") or () if str(p).strip()]
    if programs:
        description += "\n\n### Programmes\n\n" + "\n".join(f"- {p}" for p in programs)
    short = html_to_text(item.get("description")).replace("\n", " ")
    label = str(item.get("perimeter") or "")
    perimeter = perimeters(label, str(item.get("perimeter_scale") or "")) if label else None
    if not label:
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
    recurrence = RECURRENCES.get(label_key(item.get("recurrence") or ""))
    if item.get("recurrence") and recurrence is None:
        report.miss("recurrence", str(item["recurrence"]))
    origin = _url(item.get("origin_url"))
    page = str(item.get("url") or "")
    if not origin and page.startswith("/"):
        origin = BASE_URL + page  # the aid's page on Aides-territoires
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
        "funders": _funders(item.get("financers"), item.get("financers_full")),
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
        "origin_url": origin[:500],
        "application_url": _url(item.get("application_url"))[:500],
    }


def import_aids(items: list[dict] | Iterator[dict], *, complete: bool = False) -> ImportReport:
    """Upsert aids on their Aides-territoires id. Each aid is written in its own transaction
    (a bad item is reported and skipped, the others are imported).

    ``complete``: the items are the whole answer to the configured query. Published aids from
    Aides-territoires that are not among them have been withdrawn or have expired there: they
    are unpublished (never deleted), except those staff edited, listed for review instead."""
    perimeters_ensure_loaded()
    report = ImportReport()
    resolver = PerimeterResolver(report)
    seen: set[str] = set()
    for item in items:
        report.read += 1
        source_id = str(item.get("id") or "").strip()
        if not source_id or not item.get("name"):
            report.errors.append(f"Aide sans identifiant ou sans nom : {str(item)[:80]}")
            continue
        seen.add(source_id)
        try:
            values = map_aid(item, report=report, perimeters=resolver)
            if not values["perimeters"]:
                report.unresolved.append(
                    (
                        source_id,
                        values["title"],
                        PerimeterResolver.display(
                            str(item.get("perimeter") or "(aucun)"),
                            str(item.get("perimeter_scale") or ""),
                        ),
                    )
                )
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
                    values.pop("perimeters")  # never strip a perimeter staff may have attached
                report.kept_staff_fields += len(set(existing.edited_fields) & set(values))
                aid = aid_import_update(aid_id=existing.pk, values=values)
                if aid.changed_fields:  # type: ignore[attr-defined]
                    report.updated += 1
                else:
                    report.unchanged += 1
        except FundingError as exc:
            report.errors.append(f"Aide {source_id} : {exc.message}")
    if complete:
        gone = aids_unpublish_missing(seen_source_ids=seen)
        report.unpublished = gone.unpublished
        report.to_review = gone.to_review
    if report.created or report.updated or report.unpublished:
        catalogue_changed()
    return report


def import_from_api(*, token: str, query: str = "", max_pages: int = 1000) -> ImportReport:
    """Import the answer to ``query``. A run that read every page is complete: aids gone from
    it are unpublished (the scheduled import always sends the same query)."""
    client = AidesTerritoiresClient(token=token)
    items = list(client.aids(query=query, max_pages=max_pages))
    return import_aids(items, complete=client.complete)
