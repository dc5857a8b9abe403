"""Panel pages: the addresses of the issue, registration, quotas, the draw page, the record,
reviews on the project page; refusals."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from turbine.accounts.tests.factories import UserFactory
from turbine.cooperation.models import MemberStatus, PanelMember, PanelReview, Volunteer
from turbine.cooperation.services import panel_reviews as review_services
from turbine.cooperation.services import panels as services
from turbine.cooperation.tests.test_panels_services import QUOTAS, make_panel
from turbine.projects.models import Project

pytestmark = pytest.mark.django_db


def drawn_panel(bruno, capture, **kwargs):
    panel, users = make_panel(bruno, **kwargs)
    with capture(execute=True):
        draw = services.draw_start(actor=bruno, panel_id=panel.pk)
    services.draw_pick(actor=bruno, draw_id=draw.pk, seed="1 2 3")
    return panel, users, draw


def test_pages_at_the_issue_addresses(territory, client, bruno) -> None:
    panel, _users = make_panel(bruno)
    assert client.get("/panels/").status_code == 200
    assert client.get(f"/panels/{panel.pk}/").status_code == 200
    assert client.get(f"/panels/{panel.pk}/tirage/").status_code == 200
    assert client.get(f"/panels/{panel.pk}/inscription/").status_code == 200
    assert client.get("/panels/999999/").status_code == 404


def test_a_draft_panel_is_hidden_from_the_public(territory, client, bruno, alice) -> None:
    panel = services.panel_create(
        actor=bruno, title="Brouillon", purpose="M", size=4, duration="1 an"
    )
    client.force_login(alice)
    assert client.get(f"/panels/{panel.pk}/").status_code == 404
    assert b"Brouillon" not in client.get("/panels/").content
    client.force_login(bruno)
    assert client.get(f"/panels/{panel.pk}/").status_code == 200


def test_staff_only_pages_refuse_citizens(territory, client, alice, bruno) -> None:
    panel, _users = make_panel(bruno)
    client.force_login(alice)
    assert client.get("/panels/nouveau/").status_code == 403
    assert client.get(f"/panels/{panel.pk}/quotas/").status_code == 403
    assert (
        client.post(f"/panels/{panel.pk}/tirage/calcul/", {"algorithm": "leximin"}).status_code
        == 403
    )
    assert client.post(f"/panels/{panel.pk}/tirage/graine/", {"seed": "1"}).status_code == 403
    page = client.get(f"/panels/{panel.pk}/tirage/")
    assert "Calculer la loterie" not in page.content.decode()


def test_a_citizen_registers_with_consent(territory, client, alice, bruno) -> None:
    panel, _users = make_panel(bruno, people=0)
    client.force_login(alice)
    form = client.get(f"/panels/{panel.pk}/inscription/").content.decode()
    assert "Genre" in form and "Âge" in form
    refused = client.post(
        f"/panels/{panel.pk}/inscription/",
        {"feature_0": "Femme", "feature_1": "Jeune", "consent_contact": "on"},
    )
    assert refused.status_code == 200 and not Volunteer.objects.exists()
    bad = client.post(
        f"/panels/{panel.pk}/inscription/",
        {
            "feature_0": "Femme\x00",
            "feature_1": "Jeune",
            "consent_draw": "on",
            "consent_contact": "on",
        },
    )
    assert bad.status_code == 200 and not Volunteer.objects.exists()
    ok = client.post(
        f"/panels/{panel.pk}/inscription/",
        {"feature_0": "Femme", "feature_1": "Jeune", "consent_draw": "on", "consent_contact": "on"},
    )
    assert ok.status_code == 302
    assert Volunteer.objects.get().features == {"Genre": "Femme", "Âge": "Jeune"}


def test_staff_never_see_a_persons_features(
    territory, client, bruno, django_capture_on_commit_callbacks
) -> None:
    panel, users, draw = drawn_panel(bruno, django_capture_on_commit_callbacks)
    client.force_login(bruno)
    page = client.get(f"/panels/{panel.pk}/tirage/").content.decode()
    member = PanelMember.objects.select_related("volunteer__user").first()
    assert member.volunteer.user.email in page  # to contact them
    # The members table has no feature columns: only row, person, answer, action.
    table = page[page.index("Personnes tirées") :]
    assert "Femme" not in table and "Jeune" not in table


def test_staff_set_quotas_import_csv_and_draw_through_the_pages(
    territory, client, bruno, django_capture_on_commit_callbacks
) -> None:
    panel, _users = make_panel(bruno)
    client.force_login(bruno)
    quotas = list(panel.quotas.order_by("position"))
    data = {"action": "bounds"}
    for q in quotas:
        data[f"min_{q.pk}"] = q.min
        data[f"max_{q.pk}"] = q.max
    data[f"min_{quotas[0].pk}"] = 5
    data[f"max_{quotas[0].pk}"] = 1
    response = client.post(f"/panels/{panel.pk}/quotas/", data)
    assert response.status_code == 200 and "minimum (5)" in response.content.decode()
    data[f"min_{quotas[0].pk}"] = 2
    data[f"max_{quotas[0].pk}"] = 2
    assert client.post(f"/panels/{panel.pk}/quotas/", data).status_code == 302
    assert panel.quotas.get(pk=quotas[0].pk).max == 2
    bad_csv = SimpleUploadedFile("q.csv", b"category,feature,min\nGenre,Femme,1\n")
    response = client.post(
        f"/panels/{panel.pk}/quotas/", {"action": "quotas_csv", "quotas-file": bad_csv}
    )
    assert "il manque max" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/panels/{panel.pk}/tirage/calcul/", {"algorithm": "leximin"})
    page = client.get(f"/panels/{panel.pk}/tirage/").content.decode()
    assert "Loterie publiée" in page and "Tirer le panel avec cette graine" in page
    client.post(f"/panels/{panel.pk}/tirage/graine/", {"seed": "6 6 6"})
    page = client.get(f"/panels/{panel.pk}/tirage/").content.decode()
    assert "Résultat publié" in page and "« 6 6 6 »" in page
    record = json.loads(client.get(f"/panels/{panel.pk}/tirage/registre.json").content)
    assert record["seed"] == "6 6 6" and len(record["tickets"]) == 1000
    assert len(record["panel_rows"]) == 4


def test_a_selected_person_sees_their_probability_and_answers(
    territory, client, bruno, django_capture_on_commit_callbacks
) -> None:
    panel, users, draw = drawn_panel(bruno, django_capture_on_commit_callbacks)
    member = PanelMember.objects.select_related("volunteer__user").first()
    person = member.volunteer.user
    client.force_login(person)
    page = client.get(f"/panels/{panel.pk}/").content.decode()
    assert "Votre probabilité d'être tiré·e au sort" in page
    assert "J'accepte de participer" in page
    other = UserFactory()
    client.force_login(other)
    assert client.post(f"/panels/membres/{member.pk}/reponse/", {"accept": "1"}).status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.SELECTED
    client.force_login(person)
    client.post(f"/panels/membres/{member.pk}/reponse/", {"accept": "0"})
    member.refresh_from_db()
    assert member.status == MemberStatus.DECLINED
    assert PanelMember.objects.filter(replaces=member).exists()
    page = client.get(f"/panels/{panel.pk}/tirage/").content.decode()
    assert "Remplacements" in page


def test_a_review_appears_with_the_holders_answer(
    territory, client, bruno, chloe, django_capture_on_commit_callbacks
) -> None:
    project = Project.objects.create(
        title="Vélo-rue de Lens", visibility="public", holder_user=chloe
    )
    panel, users, draw = drawn_panel(bruno, django_capture_on_commit_callbacks)
    panel.projects.add(project)
    members = list(PanelMember.objects.select_related("volunteer__user"))
    for m in members:
        services.member_answer(actor=m.volunteer.user, member_id=m.pk, accept=True)
    review = review_services.review_open(actor=bruno, panel_id=panel.pk, project_id=project.pk)
    client.force_login(members[0].volunteer.user)
    client.post(
        f"/panels/avis/{review.pk}/contribuer/",
        {"ambition_rating": 2, "daily_life_rating": 3, "comment": "Il manque des arceaux."},
    )
    again = client.post(
        f"/panels/avis/{review.pk}/contribuer/",
        {"ambition_rating": 4, "daily_life_rating": 4, "comment": "Encore."},
    )
    assert again.status_code == 302 and review.contributions.count() == 1
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(f"/panels/avis/{review.pk}/").status_code == 404  # not published yet
    review_services.review_write(
        actor=bruno,
        review_id=review.pk,
        ambition="Ambition à renforcer.",
        daily_life="Utile au quotidien.",
        questions_to_holder="Quel calendrier ?",
        recommendations="Ajouter des arceaux.",
        publish=True,
    )
    client.force_login(chloe)
    client.post(f"/panels/avis/{review.pk}/reponse/", {"answer": "Calendrier : printemps 2027."})
    assert PanelReview.objects.get().answer == "Calendrier : printemps 2027."
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Ambition à renforcer." in page and "printemps 2027" in page
    client.force_login(outsider)
    assert (
        client.post(f"/panels/avis/{review.pk}/reponse/", {"answer": "Pirate"}).status_code == 302
    )
    assert PanelReview.objects.get().answer == "Calendrier : printemps 2027."


def test_the_panel_list_query_count_does_not_grow(
    territory, client, bruno, django_assert_max_num_queries
) -> None:
    for _ in range(5):
        make_panel(bruno, people=2)
    with django_assert_max_num_queries(12):
        client.get("/panels/")


QUOTAS_USED = QUOTAS
