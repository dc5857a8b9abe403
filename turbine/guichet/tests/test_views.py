from __future__ import annotations

import pytest
from django.urls import reverse

from turbine.accounts.tests.factories import PASSWORD, UserFactory
from turbine.core.models import Theme
from turbine.funding.tests.factories import make_aid
from turbine.guichet import services
from turbine.guichet.models import Recommendation, SupportRequest
from turbine.guichet.tests.factories import BETHUNE, LENS, advisor, make_request

pytestmark = pytest.mark.usefixtures("perimeters")


def _fill_intake(client) -> None:
    response = client.post(reverse("guichet:start"), {"holder_type": "association"})
    assert response.status_code == 302 and response["Location"] == reverse("guichet:step_project")
    theme = Theme.objects.get(slug="alimentation")
    response = client.post(
        reverse("guichet:step_project"),
        {
            "title": "Cuisine partagée",
            "summary": "Des repas solidaires cuisinés ensemble.",
            "themes": [theme.pk],
            "communes": "béthune",  # typed as a person would, accents aside
            "stage": "idee",
            "budget": "12000",
            "actors_count": "4",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(
        reverse("guichet:step_needs"),
        {"needs": ["financement", "demarches"], "triggers": ["vente-alimentaire"]},
    )
    assert response["Location"] == reverse("guichet:step_submit")


def test_it_keeps_the_draft_through_login_and_submits(client, chloe) -> None:
    make_aid(
        title="Repas solidaires et cuisine",
        themes=["alimentation"],
        beneficiaries=["association"],
        amount_max=20_000,
    )
    _fill_intake(client)
    page = client.get(reverse("guichet:step_submit")).content.decode()
    assert "Créer un compte" in page and "Cuisine partagée" in page
    # An anonymous visitor sees what Turbine found before creating an account.
    assert "Repas solidaires et cuisine" in page and "«\u00a0repas\u00a0»" in page
    assert "Déclaration sanitaire" in page and "jusqu&#x27;à 20" in page
    response = client.post(reverse("guichet:step_submit"), {"consent": "on"})
    assert response["Location"].startswith(reverse("account_login"))
    login = client.post(response["Location"], {"login": chloe.email, "password": PASSWORD})
    assert login["Location"] == reverse("guichet:step_submit")
    response = client.post(reverse("guichet:step_submit"), {})
    assert "Votre accord est nécessaire" in response.content.decode()
    response = client.post(reverse("guichet:step_submit"), {"consent": "on"}, follow=True)
    support_request = SupportRequest.objects.get(holder=chloe)
    assert support_request.project.title == "Cuisine partagée"
    html = response.content.decode()
    assert "Ce que la Turbine a trouvé" in html
    assert "Repas solidaires et cuisine" in html and "Thèmes en commun : Alimentation." in html
    assert "Déclaration sanitaire" in html
    assert client.get(reverse("guichet:step_submit"))["Location"] == reverse("guichet:start")


def test_steps_out_of_order_go_back_to_the_first_missing_one(client, db) -> None:
    assert client.get(reverse("guichet:step_needs"))["Location"] == reverse("guichet:start")
    assert client.get(reverse("guichet:step_submit"))["Location"] == reverse("guichet:start")
    response = client.post(reverse("guichet:step_project"), {})
    assert response["Location"] == reverse("guichet:start")
    client.post(reverse("guichet:start"), {"holder_type": "habitant"})
    response = client.post(reverse("guichet:step_project"), {"title": ""})
    assert response.status_code == 200
    assert "Choisissez au moins un thème." in response.content.decode()


def test_a_holder_uses_an_existing_project(client, chloe) -> None:
    first = make_request(holder=chloe)
    client.force_login(chloe)
    response = client.post(
        reverse("guichet:start"), {"holder_type": "association", "project": str(first.project.pk)}
    )
    assert response["Location"] == reverse("guichet:step_needs")
    client.post(reverse("guichet:step_needs"), {"needs": ["lieu"]})
    client.post(reverse("guichet:step_submit"), {"consent": "on"})
    assert SupportRequest.objects.filter(project=first.project).count() == 2


def test_the_holder_marks_a_recommendation_done_and_writes(client, chloe) -> None:
    local = advisor(agglomeration_of=BETHUNE)
    support_request = make_request(holder=chloe)
    rec = services.recommendation_add(
        user=local, support_request=support_request, kind="ressource", title="Guide"
    )
    client.force_login(chloe)
    url = reverse("guichet:recommendation_status", args=[support_request.pk, rec.pk])
    client.post(url, {"status": "faite"})
    assert Recommendation.objects.get(pk=rec.pk).status == "faite"
    client.post(reverse("guichet:message_post", args=[support_request.pk]), {"body": "Merci"})
    page = client.get(reverse("guichet:my_request", args=[support_request.pk])).content.decode()
    assert "Merci" in page and "Faite" in page
    assert "Jardin partagé" in client.get(reverse("guichet:my_requests")).content.decode()


def test_the_staff_workflow_through_pages(client, chloe) -> None:
    local = advisor(agglomeration_of=BETHUNE, themes=["alimentation"])
    aid = make_aid(themes=["alimentation"], beneficiaries=["association"])
    support_request = make_request(holder=chloe)
    client.force_login(local)
    page = client.get(reverse("guichet:queue"))
    assert support_request.project.title in page.content.decode()
    base = reverse("guichet:staff_request", args=[support_request.pk])
    client.post(base + "qualifier/", {"qualifier-scale": "2"})
    client.post(base + "attribuer/", {"attribuer-advisor": str(local.pk)})
    client.post(base + "recommander/", {"recommander-kind": "aide", "recommander-aid": aid.pk})
    client.post(base + "note/", {"note-body": "Appeler la mairie"})
    client.post(base + "recalculer/")
    assert support_request.history.filter(action="recalcul").exists()
    client.post(base + "relance/", {"relance-days": "30"})
    response = client.post(base + "clore/", {"clore-outcome": "aboutie"})
    assert response.status_code == 400
    support_request.refresh_from_db()
    assert support_request.confirmed_scale == 2 and support_request.advisor == local
    assert support_request.recommendations.get().aid == aid
    assert support_request.notes.count() == 1 and support_request.reminders.count() == 1
    assert "Appeler la mairie" in client.get(base).content.decode()


def test_the_queue_filters_and_its_query_count_is_flat(
    client, chloe, django_assert_max_num_queries
) -> None:
    local = advisor(agglomeration_of=BETHUNE)
    for n in range(3):
        make_request(holder=chloe, title=f"Projet {n}")
    make_request(holder=chloe, title="Projet de Lens", commune=LENS)
    client.force_login(local)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("guichet:queue")).content.decode()
    assert "Projet 0" in page and "Projet de Lens" not in page
    for n in range(3, 25):
        make_request(holder=chloe, title=f"Projet {n}")
    with django_assert_max_num_queries(14):
        client.get(reverse("guichet:queue"), {"band": "basse", "theme": "alimentation"})


def test_every_role_against_every_page_by_id(client, chloe, alice, bruno) -> None:
    local = advisor(agglomeration_of=BETHUNE)
    remote = advisor(agglomeration_of=LENS)
    support_request = make_request(holder=chloe)
    rec = services.recommendation_add(
        user=local, support_request=support_request, kind="autre", title="Lire"
    )
    services.note_add(user=local, support_request=support_request, body="Secret interne")
    pk = support_request.pk
    holder_page = reverse("guichet:my_request", args=[pk])
    staff_page = reverse("guichet:staff_request", args=[pk])
    for user in (alice, bruno, remote):
        client.force_login(user)
        assert client.get(holder_page).status_code == 404, user
        assert client.get(staff_page).status_code in (403, 404), user
        assert client.post(staff_page + "note/", {"note-body": "x"}).status_code in (403, 404)
        url = reverse("guichet:recommendation_status", args=[pk, rec.pk])
        assert client.post(url, {"status": "faite"}).status_code == 404
        url = reverse("guichet:message_post", args=[pk])
        assert client.post(url, {"body": "x"}).status_code == 404
    assert client.get(reverse("guichet:queue")).status_code == 200  # remote: an advisor
    client.force_login(chloe)
    assert client.get(reverse("guichet:queue")).status_code == 403
    assert client.get(staff_page).status_code == 403
    assert "Secret interne" not in client.get(holder_page).content.decode()
    client.force_login(local)
    assert "Secret interne" in client.get(staff_page).content.decode()
    assert support_request.notes.count() == 1
    assert Recommendation.objects.get(pk=rec.pk).status == "proposee"
    other = UserFactory()
    client.force_login(other)
    assert client.get(holder_page).status_code == 404


def test_a_holder_volunteers_as_mentor_of_own_projects_only(client, chloe, alice) -> None:
    from turbine.guichet.models import MentorOffer

    support_request = make_request(holder=chloe)
    client.force_login(chloe)
    page = client.get(reverse("guichet:my_requests")).content.decode()
    assert "Je veux bien aider" in page
    url = reverse("guichet:mentor_offer")
    client.post(url, {"project": support_request.project.pk, "active": "1", "message": "Oui"})
    assert MentorOffer.objects.get(project=support_request.project).is_active
    client.post(url, {"project": support_request.project.pk, "active": "0"})
    assert not MentorOffer.objects.get(project=support_request.project).is_active
    client.force_login(alice)
    assert (
        client.post(url, {"project": support_request.project.pk, "active": "1"}).status_code == 404
    )


def test_the_staff_request_page_query_count_is_flat(
    client, chloe, django_assert_max_num_queries
) -> None:
    local = advisor(agglomeration_of=BETHUNE)
    support_request = make_request(holder=chloe)
    url = reverse("guichet:staff_request", args=[support_request.pk])
    client.force_login(local)
    client.get(url)
    with django_assert_max_num_queries(60) as first:
        client.get(url)
    for n in range(10):
        services.note_add(user=local, support_request=support_request, body=f"Note {n}")
        services.message_post(user=local, support_request=support_request, body=f"Mot {n}")
        services.recommendation_add(
            user=local, support_request=support_request, kind="autre", title=f"Piste {n}"
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_public_figures_are_aggregated_and_the_catalogue_is_listed(
    client, chloe, django_assert_max_num_queries
) -> None:
    local = advisor(agglomeration_of=BETHUNE)
    support_request = make_request(holder=chloe, title="Projet secret de Chloé")
    services.message_post(user=local, support_request=support_request, body="Bonjour")
    make_request(holder=chloe, commune=LENS)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("guichet:figures")).content.decode()
    assert "Projet secret" not in page and "Chloé" not in page
    assert "CA de Béthune" in page or "Béthune" in page
    page = client.get(reverse("guichet:procedures")).content.decode()
    assert "Déclaration préalable de travaux" in page and "service urbanisme" in page


def test_procedures_are_searchable(client, db) -> None:
    from turbine.core import search
    from turbine.guichet.search_indexes import PROCEDURE

    search.reindex([PROCEDURE])
    page = search.search("permis de construire", kinds=[PROCEDURE])
    assert page.hits[0].title == "Permis de construire"
    assert page.hits[0].url.startswith("/guichet/demarches/#demarche-")


def test_a_newcomer_asks_a_mentor_for_an_introduction(client, chloe) -> None:
    from turbine.directory.models import Introduction
    from turbine.guichet.models import MentorOffer
    from turbine.projects.tests.factories import ProjectFactory

    mentor = UserFactory(display_name="Marc")
    done = ProjectFactory(
        title="Potager de la gare", stage="realise", holder_user=mentor,
        commune_codes=[BETHUNE], theme_slugs=["alimentation"],
    )  # fmt: skip
    offer = MentorOffer.objects.create(user=mentor, project=done)
    support_request = make_request(holder=chloe)
    client.force_login(chloe)
    page = client.get(reverse("guichet:my_request", args=[support_request.pk])).content.decode()
    assert "Potager de la gare" in page and "Demander une mise en relation" in page
    client.post(
        reverse("directory:introduction_ask"),
        {
            "target_kind": "parrain",
            "target_id": str(offer.pk),
            "subject_kind": "demande-guichet",
            "subject_id": str(support_request.pk),
            "message": "Bonjour, pouvons-nous échanger ?",
            "next": reverse("guichet:my_request", args=[support_request.pk]),
        },
    )
    introduction = Introduction.objects.get()
    assert introduction.recipient == mentor and introduction.requester == chloe


def test_it_keeps_my_requests_head_free_of_page_content(client, chloe) -> None:
    import re

    make_request(holder=chloe)
    client.force_login(chloe)
    page = client.get(reverse("guichet:my_requests")).content.decode()
    assert "Je veux bien aider" in page  # the mentor section is on the page...
    head = page.split("</head>")[0]
    title = re.search(r"<title>(.*?)</title>", head, re.S).group(1)
    assert "<" not in title and "Mes demandes au guichet" in title
    assert "<form" not in head and "<section" not in head  # ...but not in its head
    assert page.count('id="titre-parrainage"') == 1


def test_it_labels_the_closed_status_as_a_state_not_a_verb() -> None:
    from turbine.guichet.models import Status

    assert str(Status.CLOSED.label) == "Clôturée"
