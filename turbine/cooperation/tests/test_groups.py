"""Working groups across networks, their thread, documents and meetings; peer teaching."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from turbine.accounts.tests.factories import UserFactory
from turbine.cooperation.models import Event, GroupDocument, GroupMessage, WorkTheme
from turbine.cooperation.services import groups as services
from turbine.cooperation.services import meetings as meetings_services
from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.directory.models import MemberRole, Membership, MembershipStatus
from turbine.directory.tests.factories import NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _person_in(network, **kwargs):
    user = UserFactory(**kwargs)
    organisation = OrganisationFactory()
    organisation.networks.add(network)
    Membership.objects.create(
        organisation=organisation, user=user, role=MemberRole.MEMBER, status=MembershipStatus.ACTIVE
    )
    return user


@pytest.fixture
def setting(territory):
    theme = WorkTheme.objects.create(title="Sobriété foncière")
    a, b = NetworkFactory(name="Réseau des fermes"), NetworkFactory(name="Club des entreprises")
    return theme, a, b


def test_a_group_works_only_once_it_crosses_two_networks(
    setting, django_capture_on_commit_callbacks
) -> None:
    theme, farms, firms = setting
    founder, same, other = _person_in(farms), _person_in(farms), _person_in(firms)
    group = services.group_create(
        actor=founder, work_theme_id=theme.pk, name="Friches", description="x", network_id=farms.pk
    )
    services.group_join(user=same, group_id=group.pk, network_id=farms.pk)
    group.refresh_from_db()
    assert group.network_count == 1 and not group.crosses_networks
    with pytest.raises(TurbineError, match="au moins 2"):
        services.message_post(user=founder, group_id=group.pk, body="Bonjour")
    services.group_join(user=other, group_id=group.pk, network_id=firms.pk)
    group.refresh_from_db()
    assert group.network_count == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(user=founder, group_id=group.pk, body="Bonjour à tous")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([same.email, other.email])
    assert "Bonjour à tous" in mail.outbox[0].body
    services.group_leave(user=other, group_id=group.pk)
    group.refresh_from_db()
    assert not group.crosses_networks


def test_joining_needs_one_of_ones_own_networks(setting) -> None:
    theme, farms, firms = setting
    founder = _person_in(farms)
    group = services.group_create(
        actor=founder, work_theme_id=theme.pk, name="G", description="x", network_id=farms.pk
    )
    with pytest.raises(TurbineError, match="rattachez-vous"):
        services.group_join(user=UserFactory(), group_id=group.pk, network_id=firms.pk)
    with pytest.raises(TurbineError, match="auquel vous êtes"):
        services.group_join(user=_person_in(farms), group_id=group.pk, network_id=firms.pk)
    with pytest.raises(TurbineError, match="déjà membre"):
        services.group_join(user=founder, group_id=group.pk, network_id=farms.pk)


def test_the_group_page_shows_networks_thread_documents_and_meetings(
    setting, client, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    theme, farms, firms = setting
    founder, other = _person_in(farms, display_name="Fanny"), _person_in(firms)
    group = services.group_create(
        actor=founder, work_theme_id=theme.pk, name="Friches", description="x", network_id=farms.pk
    )
    client.force_login(other)
    client.post(f"/groupes/{group.pk}/rejoindre/", {"network": firms.pk})
    client.post(f"/groupes/{group.pk}/messages/", {"body": "**On se voit quand ?**"})
    assert GroupMessage.objects.count() == 1
    client.post(
        f"/groupes/{group.pk}/documents/",
        {"title": "Carte", "file": SimpleUploadedFile("carte.pdf", b"%PDF-1.4")},
    )
    client.post(
        f"/groupes/{group.pk}/documents/",
        {"title": "Virus", "file": SimpleUploadedFile("v.exe", b"MZ")},
    )
    document = GroupDocument.objects.get()
    start = timezone.localtime() + timedelta(days=4)
    client.post(
        f"/rencontres/nouvelle/?groupe={group.pk}",
        {
            "title": "Réunion du groupe",
            "description": "Point d'étape.",
            "format": "atelier",
            "modality": "en-ligne",
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "language": "fr",
            "person_is_organiser": "on",
            "registration_mode": "plateforme",
            "reminder_hours": "24",
            "group": group.pk,
        },
    )
    assert Event.objects.get().group == group
    page = client.get(group.get_absolute_url()).content.decode()
    for text in (
        "Réseau des fermes",
        "Club des entreprises",
        "<strong>On se voit quand ?</strong>",
        "Carte",
        "Réunion du groupe",
        "Fanny",
    ):
        assert text in page
    assert client.get(f"/groupes/documents/{document.pk}/").status_code == 200
    client.force_login(UserFactory())
    assert client.get(f"/groupes/documents/{document.pk}/").status_code == 403
    outsider_page = client.get(group.get_absolute_url()).content.decode()
    assert "On se voit quand" not in outsider_page  # the thread is for members


def test_outsiders_cannot_attach_meetings_to_a_group(setting) -> None:
    theme, farms, firms = setting
    founder = _person_in(farms)
    group = services.group_create(
        actor=founder, work_theme_id=theme.pk, name="G", description="x", network_id=farms.pk
    )
    start = timezone.now() + timedelta(days=2)
    data = meetings_services.EventData(
        title="T",
        description="d",
        format="atelier",
        modality="en-ligne",
        start=start,
        end=start + timedelta(hours=1),
        group=group,
    )
    with pytest.raises(PermissionDeniedError):
        meetings_services.event_create(actor=founder, data=data)  # not crossing networks yet
    with pytest.raises(PermissionDeniedError):
        meetings_services.event_create(actor=UserFactory(), data=data)


def test_the_group_list_and_api_show_networks_crossed(
    setting, client, django_assert_max_num_queries
) -> None:
    theme, farms, firms = setting
    for i in range(5):
        group = services.group_create(
            actor=_person_in(farms),
            work_theme_id=theme.pk,
            name=f"G{i}",
            description="x",
            network_id=farms.pk,
        )
        if i % 2 == 0:
            services.group_join(user=_person_in(firms), group_id=group.pk, network_id=firms.pk)
    with django_assert_max_num_queries(8):
        page = client.get("/groupes/")
    assert len(page.context["working"]) == 3 and len(page.context["forming"]) == 2
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/groups").json()
    assert body["count"] == 5
    crossing = [g for g in body["items"] if g["crosses_networks"]]
    assert len(crossing) == 3
    assert {n["name"] for n in crossing[0]["networks"]} == {
        "Réseau des fermes",
        "Club des entreprises",
    }
    assert client.get("/api/v1/groups?work_theme=99999999999999999999").status_code == 422


def test_only_staff_propose_work_themes(territory, client, alice, bruno) -> None:
    client.force_login(alice)
    assert client.get("/groupes/thematiques/nouvelle/").status_code == 403
    client.force_login(bruno)
    client.post("/groupes/thematiques/nouvelle/", {"title": "Eau et agriculture"})
    assert WorkTheme.objects.filter(title="Eau et agriculture").exists()
    response = client.post("/groupes/thematiques/nouvelle/", {"title": "eau et agriculture"})
    assert "existe déjà" in response.content.decode()


def test_know_how_offers_become_peer_training_sessions(
    territory, client, alice, chloe, django_capture_on_commit_callbacks
) -> None:
    from turbine.projects.models import Project

    project = Project.objects.create(
        title="Recyclerie de Béthune",
        holder_user=chloe,
        know_how="Trouver un local, former des bénévoles.",
    )
    offer = services.offer_create(
        user=chloe,
        title="Monter une recyclerie",
        description="Tout ce qu'on a appris.",
        project_id=project.pk,
    )
    with pytest.raises(TurbineError, match="projet que vous portez"):
        services.offer_create(user=alice, title="x", description="y", project_id=project.pk)
    client.force_login(alice)
    client.post(f"/savoir-faire/{offer.pk}/participer/", {"message": "Je veux apprendre"})
    assert offer.requests.count() == 1
    assert "Vous avez demandé" in client.get(offer.get_absolute_url()).content.decode()
    # Alice cannot schedule Chloé's session.
    assert client.get(f"/rencontres/nouvelle/?savoir-faire={offer.pk}").status_code == 200
    client.force_login(chloe)
    form = client.get(f"/rencontres/nouvelle/?savoir-faire={offer.pk}").context["form"]
    assert form.initial["format"] == "formation-pairs"
    start = timezone.now() + timedelta(days=6)
    data = meetings_services.EventData(
        title=offer.title,
        description="Session",
        format="formation-pairs",
        modality="en-ligne",
        start=start,
        end=start + timedelta(hours=2),
        know_how_offer=offer,
    )
    with django_capture_on_commit_callbacks(execute=True):
        event = meetings_services.event_create(actor=chloe, data=data)
    assert event.know_how_offer == offer and event.format == "formation-pairs"
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "Formation entre pairs programmée" in mail.outbox[0].subject
    with pytest.raises(PermissionDeniedError):
        meetings_services.event_create(actor=alice, data=data)
    with pytest.raises(TurbineError, match="Formation entre pairs"):
        meetings_services.event_create(
            actor=chloe,
            data=meetings_services.EventData(**{**data.__dict__, "format": "atelier"}),
        )
    assert event.title in client.get(offer.get_absolute_url()).content.decode()


def test_the_demo_loads_groups_crossing_networks(territory) -> None:
    from turbine.accounts.demo import load_people
    from turbine.cooperation.demo_groups import load_groups
    from turbine.cooperation.models import WorkingGroup
    from turbine.directory.demo import load_directory

    load_people()
    load_directory()
    assert load_groups() == "2 thématiques, 3 groupes, 2 savoir-faire"
    groups = list(WorkingGroup.objects.order_by("id"))
    assert [g.crosses_networks for g in groups] == [True, True, False]
    assert all(g.is_demo and "(démo)" in g.name for g in groups)
