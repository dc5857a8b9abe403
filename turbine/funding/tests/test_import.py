from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from turbine.funding import aides_territoires
from turbine.funding.models import Aid, AidStatus, Funder, Scale
from turbine.funding.services.catalogue import aid_update

pytestmark = pytest.mark.usefixtures("perimeters")
FIXTURE = Path(__file__).parent / "fixtures" / "aides_territoires_page.json"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_aides_territoires", *args, stdout=out)
    return out.getvalue()


def test_it_imports_and_maps_a_recorded_page(db: None) -> None:
    output = run("--file", str(FIXTURE))
    assert "4 aide(s) créée(s) (dont 1 en brouillon" in output
    assert "« Autre aide financière »" not in output  # a type of its own now
    assert "« Collectivités d'outre-mer à statuts particuliers » ×1" in output
    assert "« Inconnu|Sans équivalent » ×1" in output
    assert "« Bassin Artois-Picardie (Bassin hydrographique) » ×1" in output
    chaleur = Aid.objects.get(source_id="101234")
    assert chaleur.status == AidStatus.PUBLISHED and chaleur.source == "aides-territoires"
    assert chaleur.type_list == ["subvention"]
    assert chaleur.beneficiary_list == ["commune", "epci", "entreprise"]
    assert sorted(t.slug for t in chaleur.themes.all()) == ["energie", "renovation-habitat"]
    assert [(p.scale, p.code) for p in chaleur.perimeters.all()] == [(Scale.COUNTRY, "FR")]
    assert chaleur.recurrence == "permanente" and chaleur.deadline is None
    assert (chaleur.subsidy_rate_min, chaleur.subsidy_rate_max) == (30, 60)
    assert "**production de chaleur renouvelable**" in chaleur.description
    assert "- biomasse" in chaleur.description and "alert(1)" not in chaleur.description
    assert "### Exemples de projets" in chaleur.description
    assert "[Conditions](https://fondschaleur.ademe.fr/)" in chaleur.eligibility
    assert chaleur.contact == "Direction régionale\nfondschaleur@ademe.fr"
    assert [f.name for f in chaleur.instructors.all()] == [
        "Direction régionale de l'ADEME Hauts-de-France"
    ]
    assert Funder.objects.get(name="ADEME").level == "etablissement-public"
    assert Funder.objects.get(name="Région Hauts-de-France").level == "region"
    velo = Aid.objects.get(source_id="102001")
    assert velo.is_call_for_projects and velo.stage_labels == ["Réflexion", "Réalisation"]
    assert velo.expense_types == " investissement "
    assert [p.code for p in velo.perimeters.all()] == ["32"]
    lens = Aid.objects.get(source_id="102002")
    assert [p.code for p in lens.perimeters.all()] == ["246200364"]
    assert Aid.objects.get(source_id="102003").status == AidStatus.DRAFT


def test_it_updates_without_overwriting_staff_edits_and_never_deletes(
    db: None,
    bruno,
    tmp_path: Path,
) -> None:
    run("--file", str(FIXTURE))
    velo = Aid.objects.get(source_id="102001")
    aid_update(actor=bruno, aid_id=velo.pk, values={"title": "Pistes cyclables (titre PMA)"})
    data = json.loads(FIXTURE.read_text())
    item = data["results"][1]
    item["name"] = "Aménager des pistes cyclables (nouveau titre)"
    item["submission_deadline"] = "2027-04-30"
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"results": [item]}))
    output = run("--file", str(page))
    assert "1 mise(s) à jour" in output and "1 champ(s) modifié(s) par l'équipe" in output
    velo.refresh_from_db()
    assert velo.title == "Pistes cyclables (titre PMA)"
    assert velo.deadline.isoformat() == "2027-04-30"
    assert Aid.objects.count() == 4  # the aids absent from this page are kept
    assert "0 mise(s) à jour, 1 inchangée(s)" in run("--file", str(page))


def test_it_reads_the_api_with_a_token_through_one_seam(
    db: None, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    data = json.loads(FIXTURE.read_text())
    calls = []

    def fake_fetch(method: str, url: str, headers: dict) -> dict:
        calls.append((method, url, headers))
        if url.endswith("/api/connexion/"):
            assert headers == {"X-AUTH-TOKEN": "jeton-perso"}
            return {"token": "jwt-court"}
        assert headers["Authorization"] == "Bearer jwt-court"
        if "page=2" in url:
            return {"count": 4, "next": None, "results": data["results"][2:]}
        return {"count": 4, "next": url + "&page=2", "results": data["results"][:2]}

    monkeypatch.setattr(aides_territoires, "http_fetch", fake_fetch)
    settings.AIDES_TERRITOIRES_TOKEN = "jeton-perso"
    assert "4 aide(s) créée(s)" in run("--query", "targeted_audiences=commune")
    assert calls[1][1].startswith(
        "https://aides-territoires.beta.gouv.fr/api/aids/?itemsPerPage=100&targeted_audiences="
    )
    assert len(calls) == 3  # one login, two pages
    settings.AIDES_TERRITOIRES_TOKEN = ""
    monkeypatch.delenv("AIDES_TERRITOIRES_TOKEN", raising=False)
    with pytest.raises(CommandError, match="Aucun jeton"):
        run()


def test_it_imports_from_the_scheduled_task(
    db: None, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    from turbine.funding.tasks import import_aides_territoires

    settings.AIDES_TERRITOIRES_TOKEN = ""
    monkeypatch.delenv("AIDES_TERRITOIRES_TOKEN", raising=False)
    assert import_aides_territoires.apply().result == {"skipped": 1}
    data = json.loads(FIXTURE.read_text())
    monkeypatch.setattr(
        aides_territoires,
        "http_fetch",
        lambda method, url, headers: {"token": "t"} if "connexion" in url else data,
    )
    settings.AIDES_TERRITOIRES_TOKEN = "jeton"
    result = import_aides_territoires.apply().result
    assert result["created"] == 4 and result["unmapped"] >= 3
