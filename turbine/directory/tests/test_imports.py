from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from turbine.core.exceptions import PermissionDeniedError
from turbine.directory import imports
from turbine.directory.models import ImportBatch, Organisation
from turbine.directory.tests.factories import NetworkFactory, OrganisationFactory
from turbine.projects.models import Project

pytestmark = pytest.mark.django_db

GOOD = (
    "nom;type;famille;siren;commune;themes;reseaux;latitude;longitude\n"
    "Recyclerie de Liévin;association;font;;62510;dechets-economie-circulaire;cd2e;50.42;2.78\n"
    "Club climat des entreprises;tete-de-reseau;diffusent;732829320;62119;energie|mobilite;;;\n"
)


def test_it_previews_errors_by_line_and_saves_nothing(territory, bruno) -> None:
    NetworkFactory(slug="cd2e")
    bad = GOOD + "Sans type;;font;;;;;;\nMauvais SIREN;association;font;123456789;;;;;\n"
    bad += "Inconnue;association;font;;99999;;;;\nThème;association;aident;;;zzz;;;\n"
    preview = imports.import_preview(
        user=bruno, kind="organisations", filename="acteurs.csv", raw=bad.encode()
    )
    assert preview.rows_total == 6 and preview.batch is None
    lines = [line for line, _ in preview.errors]
    assert lines == [4, 5, 6, 7]
    reasons = dict(preview.errors)
    assert "Type" in reasons[4] and "SIREN" in reasons[5]
    assert "99999" in reasons[6] and "zzz" in reasons[7]
    assert not Organisation.objects.exists() and not ImportBatch.objects.exists()


def test_it_imports_after_confirmation_only(
    territory, bruno, alice, django_capture_on_commit_callbacks
) -> None:
    NetworkFactory(slug="cd2e")
    with pytest.raises(PermissionDeniedError):
        imports.import_preview(user=alice, kind="organisations", filename="a.csv", raw=b"x")
    preview = imports.import_preview(
        user=bruno, kind="organisations", filename="acteurs.csv", raw=GOOD.encode("utf-8-sig")
    )
    assert not preview.errors and preview.sample == [
        "Recyclerie de Liévin",
        "Club climat des entreprises",
    ]
    assert not Organisation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_confirm(user=bruno, batch_id=preview.batch.pk)
    batch = ImportBatch.objects.get()
    assert batch.status == "done" and batch.created_count == 2
    org = Organisation.objects.get(name="Recyclerie de Liévin")
    assert org.commune.code == "62510" and [n.slug for n in org.networks.all()] == ["cd2e"]
    assert not org.memberships.exists()  # staff importing do not become members
    # Running a finished batch again does nothing.
    imports.import_run(batch_id=batch.pk)
    assert Organisation.objects.count() == 2


def test_it_saves_nothing_when_a_confirmed_import_fails_midway(
    territory, bruno, monkeypatch
) -> None:
    preview = imports.import_preview(
        user=bruno,
        kind="organisations",
        filename="a.csv",
        raw=GOOD.replace(";cd2e;", ";;").encode(),
    )
    ImportBatch.objects.filter(pk=preview.batch.pk).update(status="queued")
    original = imports.get("organisations")
    calls = []

    def failing_save(user, fields):
        calls.append(fields["name"])
        if len(calls) == 2:
            from turbine.core.exceptions import TurbineError

            raise TurbineError("Panne simulée.")
        return original.save(user, fields)

    monkeypatch.setitem(
        imports._importers,
        "organisations",
        imports.Importer(**{**original.__dict__, "save": failing_save}),
    )
    batch = imports.import_run(batch_id=preview.batch.pk)
    assert batch.status == "failed"
    assert batch.message == "Ligne 3 : Panne simulée. Aucune ligne n'a été enregistrée."
    assert not Organisation.objects.exists()


def test_it_imports_projects_through_the_pages(
    client,
    territory,
    bruno,
    alice,
    django_capture_on_commit_callbacks,
) -> None:
    OrganisationFactory(name="Porteuse", siren="732829320")
    csv_text = (
        "titre,echelle,etape,organisation_porteuse,communes,themes,budget_total\n"
        "Réseau de chaleur,3,conception,732829320,62498|62119,energie,1200000\n"
    )
    client.force_login(alice)
    assert client.get(reverse("directory:import")).status_code == 403
    client.force_login(bruno)
    upload = SimpleUploadedFile("projets.csv", csv_text.encode(), content_type="text/csv")
    response = client.post(reverse("directory:import"), {"kind": "projets", "file": upload})
    preview = response.context["preview"]
    assert not preview.errors and not Project.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory:import_confirm", args=[preview.batch.pk]))
    response = client.get(reverse("directory:import_progress", args=[preview.batch.pk]))
    assert response.context["batch"].status == "done"
    project = Project.objects.get()
    assert project.holder_organisation.name == "Porteuse" and project.holder_user is None
    assert sorted(c.code for c in project.communes.all()) == ["62119", "62498"]


def test_it_refuses_a_field_over_the_csv_limit_with_its_line(territory, bruno) -> None:
    header, *rows = GOOD.splitlines(keepends=True)
    # Enough ordinary lines first for the delimiter to be recognised; the huge field is line 62.
    huge = header + "".join(rows) * 30 + '"' + "x" * 131_073 + '";association;font;;;;;;\n'
    with pytest.raises(imports.ImportError_) as caught:
        imports.import_preview(
            user=bruno, kind="organisations", filename="acteurs.csv", raw=huge.encode()
        )
    assert str(caught.value) == "Ligne 62 : un champ dépasse 131\u202f072 caractères."
    assert not ImportBatch.objects.exists()


def test_it_refuses_non_finite_numbers_by_line(territory, bruno) -> None:
    NetworkFactory(slug="cd2e")
    bad = GOOD + "Nan;association;font;;;;;nan;2.7\nInfini;association;font;;;;;50.4;-inf\n"
    preview = imports.import_preview(
        user=bruno, kind="organisations", filename="acteurs.csv", raw=bad.encode()
    )
    assert dict(preview.errors) == {
        4: "La latitude n'est pas un nombre : « nan ».",
        5: "La longitude n'est pas un nombre : « -inf ».",
    }
    projects = (
        "titre,echelle,etape,organisation_porteuse,communes,themes,budget_total\n"
        "Réseau de chaleur,3,conception,,62119,energie,NaN\n"
    )
    preview = imports.import_preview(
        user=bruno, kind="projets", filename="projets.csv", raw=projects.encode()
    )
    assert [reason for _, reason in preview.errors] == ["Le budget total n'est pas un nombre."]
    assert not Organisation.objects.exists() and not Project.objects.exists()
