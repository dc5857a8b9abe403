"""The importer on both eras of the Aides-territoires API, built from the format note
(``shared/formats/aides-territoires.md``, "Two eras"), messy real-world HTML included."""

from __future__ import annotations

import io
from pathlib import Path

import markdown
import pytest
from django.core.management import call_command

from turbine.funding import aides_territoires as at
from turbine.funding.models import Aid, AidStatus, Funder, FunderLevel, Scale

pytestmark = pytest.mark.usefixtures("perimeters")
FIXTURES = Path(__file__).parent / "fixtures"
DJANGO_ERA = FIXTURES / "aides_territoires_django_era.json"
SYMFONY_ERA = FIXTURES / "aides_territoires_symfony_era.json"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_aides_territoires", *args, stdout=out)
    return out.getvalue()


def test_it_reads_the_django_era(db: None) -> None:
    output = run("--file", str(DJANGO_ERA))
    assert output.startswith("3 aide(s) lue(s) : 3 aide(s) créée(s) (dont 1 en brouillon")
    velo = Aid.objects.get(source_id="201001")
    assert velo.status == AidStatus.PUBLISHED
    assert [(p.scale, p.name) for p in velo.perimeters.all()] == [(Scale.COMMUNE, "Lens")]
    assert velo.beneficiary_list == ["association", "epci", "commune"]
    assert velo.type_list == ["subvention", "autre-aide-financiere"]
    assert velo.expense_types == " investissement "
    assert sorted(t.slug for t in velo.themes.all()) == [
        "dechets-economie-circulaire",
        "mobilite",
        "solidarite-justice-sociale",
    ]
    assert "« Solidarités / lien social|Réseaux d'entraide »" not in output  # theme is known
    assert (
        velo.origin_url == "https://aides-territoires.beta.gouv.fr/aides/developper-ateliers-velo/"
    )
    assert "- France Mobilités" in velo.description
    dreal = Funder.objects.get(name="DREAL Hauts-de-France")
    assert dreal.level == FunderLevel.STATE and dreal.logo_url.endswith("/dreal.png")
    epci = Aid.objects.get(source_id="201002")
    assert [p.code for p in epci.perimeters.all()] == ["246200364"]
    # "réseau" holds "eau", "Information" holds "formation": neither is a theme.
    assert list(epci.themes.all()) == []
    assert "« Fonctions support|Information / communication » ×1" in output
    assert Funder.objects.get(name__startswith="Parc naturel").level == FunderLevel.EPCI
    assert Funder.objects.get(name="Préfecture du Pas-de-Calais").level == FunderLevel.STATE
    littoral = Aid.objects.get(source_id="201003")
    assert littoral.status == AidStatus.DRAFT
    assert (
        "Brouillon, périmètre inconnu « Communes littorales (loi Littoral) (Ad-hoc) » : "
        "aide 201003 « Protéger le trait de côte »" in output
    )


def test_it_reads_the_symfony_era(db: None) -> None:
    output = run("--file", str(SYMFONY_ERA))
    assert output.startswith("4 aide(s) lue(s) : 4 aide(s) créée(s) (dont 1 en brouillon")
    solidaire = Aid.objects.get(source_id="202001")
    assert [(p.scale, p.name) for p in solidaire.perimeters.all()] == [
        (Scale.REGION, "Hauts-de-France")
    ]
    assert solidaire.beneficiary_list == ["association", "commune", "epci", "etablissement-public"]
    assert "« Collectivité d’outre-mer à statut particulier » ×1" in output
    assert solidaire.expense_types == " investissement fonctionnement "
    assert solidaire.recurrence == "recurrente"
    assert sorted(t.slug for t in solidaire.themes.all()) == [
        "dechets-economie-circulaire",
        "mobilite",
        "solidarite-justice-sociale",
    ]
    tiers_lieu = Aid.objects.get(source_id="202002")
    assert [(p.scale, p.name) for p in tiers_lieu.perimeters.all()] == [(Scale.COMMUNE, "Lens")]
    assert [t.slug for t in tiers_lieu.themes.all()] == ["education-culture"]
    assert Funder.objects.get(name__startswith="Communauté").level == FunderLevel.EPCI
    departement = Aid.objects.get(source_id="202004")
    assert [p.code for p in departement.perimeters.all()] == ["62"]
    assert Aid.objects.get(source_id="202003").status == AidStatus.DRAFT
    assert "« Artois-Picardie (Bassin hydrographique) » ×1" in output
    assert "Valeurs non traduites (périmètres)" in output


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("Énergies / Déchets|Déchets", ("Énergies / Déchets", "Déchets")),
        ("Énergies / Déchets / Déchets", ("Énergies / Déchets", "Déchets")),
        (
            "Urbanisme / Logement / Aménagement / Friches",
            ("Urbanisme / Logement / Aménagement", "Friches"),
        ),
        ("Inconnu / Rien", None),
    ],
)
def test_it_splits_categories_of_both_eras(category: str, expected: object) -> None:
    assert at.split_category(category) == expected


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("Dépenses d’investissement", "investissement"),
        ("Dépenses d'investissement", "investissement"),
        ("  Dépenses  de fonctionnement ", "fonctionnement"),
    ],
)
def test_it_maps_whole_labels_whatever_the_apostrophe(label: str, slug: str) -> None:
    assert at.DESTINATIONS[at.label_key(label)] == slug


def test_it_never_maps_a_label_by_substring() -> None:
    report = at.ImportReport()
    assert at._themes(["Fonctions support|Réseaux d'eau pluviale du bâtiment"], report) == []
    assert report.unmapped["categories"]


@pytest.mark.parametrize(
    "html",
    [
        "<p><strong>\n  Objectifs\n</strong> du dispositif</p>",
        "<p>Le <strong> </strong>texte<b>\r\n</b></p>",
        "<p>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;Indenté\r\npar des espaces</p>",
        "<p><em> réemploi </em>et <strong>a<br>b</strong></p><p><br></p>",
        "<ul><li><strong>Investissement :\n</strong> outillage</li><li>\r\n  Suite</li></ul>",
        "<div><span><span>\r\n    <strong>  Pour qui ?  </strong></span></span></div>",
    ],
)
def test_it_turns_messy_html_into_clean_markdown(html: str) -> None:
    text = at.html_to_markdown(html)
    rendered = markdown.markdown(text)
    assert "**" not in rendered and "<code>" not in rendered and "<pre>" not in rendered
    assert "\r" not in text and "\xa0" not in text
    assert not any(line.startswith(" ") for line in text.split("\n"))


def test_it_keeps_emphasis_hugging_its_text() -> None:
    assert at.html_to_markdown("<p><strong>\n  Objectifs\n</strong> du dispositif</p>") == (
        "**Objectifs** du dispositif"
    )
    assert at.html_to_text("<p>Soutenir les <span>ateliers de\r\n réparation</span></p>") == (
        "Soutenir les ateliers de réparation"
    )


def test_it_renders_the_imported_aid_without_markdown_debris(db: None, client) -> None:
    run("--file", str(DJANGO_ERA))
    velo = Aid.objects.get(source_id="201001")
    page = client.get(velo.get_absolute_url()).content.decode()
    assert "<strong>Objectifs du dispositif</strong>" in page
    assert "**" not in page and "<pre>" not in page


def test_it_unpublishes_aids_gone_from_a_complete_run(db: None) -> None:
    run("--file", str(SYMFONY_ERA))
    edited = Aid.objects.get(source_id="202004")
    edited.edited_fields = ["title"]
    edited.save(update_fields=["edited_fields"])
    output = run("--file", str(DJANGO_ERA), "--complete")
    assert "2 dépubliée(s)" in output
    assert Aid.objects.get(source_id="202001").status == AidStatus.EXPIRED
    assert Aid.objects.get(source_id="202002").status == AidStatus.EXPIRED
    assert Aid.objects.get(source_id="202004").status == AidStatus.PUBLISHED
    assert "À revoir : l'aide 202004 « Aider les départements »" in output
    # A partial run (no --complete) unpublishes nothing.
    run("--file", str(SYMFONY_ERA))
    assert "0 dépubliée(s)" in run("--file", str(DJANGO_ERA))
