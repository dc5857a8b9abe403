"""The label: referential import and export, an application through its four stages, the
committee's rules (conflicts, verdicts, decision), the registry and the badge."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from turbine.accounts.models import User
from turbine.accounts.tests.factories import UserFactory
from turbine.core.exceptions import PermissionDeniedError, TurbineError
from turbine.directory.models import Membership, MembershipStatus
from turbine.directory.tests.factories import OrganisationFactory
from turbine.label.models import (
    Application,
    ApplicationStatus,
    Decision,
    Referential,
)
from turbine.label.services import applications as services
from turbine.label.services import committee
from turbine.label.services.referential import levels_set, parse_csv, referential_import
from turbine.label.tests.factories import SMALL_CSV, make_referential
from turbine.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _node(referential: Referential, identifier: str) -> int:
    return referential.nodes.get(identifier=identifier).pk


def _all_done(user: User, application: Application) -> None:
    for leaf in ("1.1.1", "1.1.2", "1.2.1", "2.1.1", "2.1.2"):
        services.assessment_set(
            actor=user,
            application_id=application.pk,
            node_id=_node(application.referential, leaf),
            status="fait",
        )


@pytest.fixture
def setup(bruno: User, chloe: User) -> dict:
    referential = make_referential(bruno)
    project = ProjectFactory(title="Recyclerie du Lensois", holder_user=chloe)
    reviewer = UserFactory(email="dora@example.org", display_name="Dora")
    member = committee.committee_member_add(
        actor=bruno, user_id=reviewer.pk, is_invited=True, quality="Experte ADEME"
    )
    return {"referential": referential, "project": project, "reviewer": reviewer, "member": member}


def test_the_csv_is_checked_whole(bruno: User) -> None:
    with pytest.raises(TurbineError, match="totalisent"):
        parse_csv(SMALL_CSV.replace("1.1.1;Instance de participation;30", "1.1.1;X;31").encode())
    with pytest.raises(TurbineError, match="catégorie"):
        parse_csv(SMALL_CSV.replace(";bases;Convention", ";;Convention").encode())
    with pytest.raises(TurbineError, match="octet nul"):
        parse_csv(b"numero;intitule;points\n1;a\x00;1\n")
    with pytest.raises(TurbineError, match="1 Mo"):
        parse_csv(b"x" * (1024 * 1024 + 1))
    with pytest.raises(TurbineError, match="entre 0 et 10 000"):
        parse_csv(b"numero;intitule;points;categorie\n1;A;1e400;bases\n")
    with pytest.raises(TurbineError, match="1.2.3"):
        parse_csv(b"numero;intitule;points;categorie\n1.2.3.4;A;1;bases\n")
    assert Referential.objects.count() == 0


def test_import_then_export_gives_the_same_tree(client: Client, bruno: User) -> None:
    referential = make_referential(bruno)
    assert referential.is_current
    assert referential.nodes.count() == 10
    assert list(referential.levels.values_list("min_fait_share", flat=True)) == [
        Decimal("0.000"),
        Decimal("0.350"),
        Decimal("0.500"),
        Decimal("0.650"),
        Decimal("0.750"),
    ]
    exported = client.get("/label/referentiel.csv").content.decode("utf-8-sig")
    again = referential_import(
        actor=bruno, name="Copie", version="2", data=exported.encode(), make_current=False
    )
    assert list(again.nodes.values_list("identifier", "points", "category")) == list(
        referential.nodes.values_list("identifier", "points", "category")
    )


def test_only_staff_import_the_referential(client: Client, chloe: User) -> None:
    with pytest.raises(PermissionDeniedError):
        make_referential(chloe)
    client.force_login(chloe)
    assert client.get("/label/referentiel/importer/").status_code == 403


def test_levels_must_rise_and_requirements_name_real_criteria(bruno: User) -> None:
    referential = make_referential(bruno)
    with pytest.raises(TurbineError, match="dépasser"):
        levels_set(actor=bruno, referential_id=referential.pk, thresholds={2: Decimal("0.9")})
    with pytest.raises(TurbineError, match="n'existe pas"):
        levels_set(
            actor=bruno,
            referential_id=referential.pk,
            thresholds={},
            requirements={3: [("9.9", Decimal("0.5"))]},
        )
    levels_set(
        actor=bruno,
        referential_id=referential.pk,
        thresholds={},
        requirements={3: [("2", Decimal("0.5"))]},
    )
    assert referential.levels.get(stars=3).requirements.get().node.identifier == "2"


def test_the_whole_journey(
    setup: dict, bruno: User, chloe: User, django_capture_on_commit_callbacks
) -> None:
    project, member, reviewer = setup["project"], setup["member"], setup["reviewer"]
    application = services.application_create(actor=chloe, project_id=project.pk)
    assert application.status == ApplicationStatus.COMMITMENTS
    with pytest.raises(TurbineError, match="déjà en cours"):
        services.application_create(actor=chloe, project_id=project.pk)
    # Stage 1: nothing is assessed before the commitments are signed.
    with pytest.raises(TurbineError, match="figée"):
        services.assessment_set(
            actor=chloe,
            application_id=application.pk,
            node_id=_node(application.referential, "1.1.1"),
            status="fait",
        )
    services.application_sign_commitments(actor=chloe, application_id=application.pk, accepted=True)
    # Stage 2: the holder alone edits.
    with pytest.raises(PermissionDeniedError):
        services.assessment_set(
            actor=reviewer,
            application_id=application.pk,
            node_id=_node(application.referential, "1.1.1"),
            status="fait",
        )
    with pytest.raises(TurbineError, match="non complète|pas complète"):
        services.application_submit(actor=chloe, application_id=application.pk)
    _all_done(chloe, application)
    services.assessment_set(
        actor=chloe,
        application_id=application.pk,
        node_id=_node(application.referential, "1.2"),
        status="non-concerne",
        reason="Projet porté par un seul réseau.",
    )
    services.evidence_add(
        actor=chloe,
        application_id=application.pk,
        node_id=_node(application.referential, "2.1.1"),
        title="Bilan carbone 2026",
        upload=SimpleUploadedFile("bilan.pdf", b"%PDF-1.4 contenu", content_type="application/pdf"),
    )
    with pytest.raises(TurbineError, match="type de fichier"):
        services.evidence_add(
            actor=chloe,
            application_id=application.pk,
            node_id=_node(application.referential, "2.1.1"),
            title="Script",
            upload=SimpleUploadedFile("x.pdf", b"<script>", content_type="application/pdf"),
        )
    services.application_submit(actor=chloe, application_id=application.pk)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REVIEW
    assert application.submitted_score["total"]["part_fait"] == 1.0
    assert application.submitted_score["etoiles"] == 5
    # Frozen.
    with pytest.raises(TurbineError, match="figée"):
        services.assessment_set(
            actor=chloe,
            application_id=application.pk,
            node_id=_node(application.referential, "2.1.2"),
            status="pas-fait",
        )
    # Stage 3: a member linked to the project is excluded from its review.
    linked = UserFactory(email="eli@example.org")
    org = OrganisationFactory(name="Partenaire")
    Membership.objects.create(organisation=org, user=linked, status=MembershipStatus.ACTIVE)
    project.partners.add(org)
    linked_member = committee.committee_member_add(actor=bruno, user_id=linked.pk, is_invited=True)
    with pytest.raises(TurbineError, match="conflit d'intérêts"):
        committee.review_assign(
            actor=bruno, application_id=application.pk, member_id=linked_member.pk
        )
    assignment = committee.review_assign(
        actor=bruno, application_id=application.pk, member_id=member.pk
    )
    with pytest.raises(TurbineError, match="Déclarez"):
        committee.verdict_set(
            actor=reviewer,
            assignment_id=assignment.pk,
            node_id=_node(application.referential, "2.1.2"),
            choice="accord",
        )
    with pytest.raises(PermissionDeniedError):
        committee.review_declare(actor=chloe, assignment_id=assignment.pk, has_conflict=False)
    committee.review_declare(actor=reviewer, assignment_id=assignment.pk, has_conflict=False)
    with pytest.raises(TurbineError, match="désaccord"):
        committee.verdict_set(
            actor=reviewer,
            assignment_id=assignment.pk,
            node_id=_node(application.referential, "2.1.2"),
            choice="desaccord",
        )
    committee.verdict_set(
        actor=reviewer,
        assignment_id=assignment.pk,
        node_id=_node(application.referential, "2.1.2"),
        choice="desaccord",
        status="pas-fait",
        comment="La réduction n'est pas encore mesurée.",
    )
    assignment.refresh_from_db()
    # 150 of 200 points fait once 2.1.2 (50) is pas fait: 75 %, still 5 stars.
    assert assignment.own_score["total"]["part_fait"] == 0.75
    committee.review_complete(actor=reviewer, assignment_id=assignment.pk, opinion="Solide.")
    level_5 = application.referential.levels.get(stars=5)
    level_4 = application.referential.levels.get(stars=4)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision = committee.application_decide(
            actor=bruno,
            application_id=application.pk,
            outcome="accorde",
            level_id=level_4.pk,
            reasons="Un projet exemplaire, à mesurer davantage.",
            meeting_date=timezone.localdate(),
        )
    assert decision.applicant_score["total"]["part_fait"] == 1.0
    assert decision.committee_score["total"]["part_fait"] == 0.75
    assert decision.valid_until > timezone.localdate()
    assert [m.to for m in mail.outbox] == [[chloe.email]]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    assert level_5.stars == 5
    # Stage 4.
    with pytest.raises(TurbineError, match="pas encore arrivée"):
        committee.application_confirm(actor=bruno, application_id=application.pk)
    committee.confirmation_schedule(
        actor=bruno, application_id=application.pk, due=timezone.localdate()
    )
    committee.application_confirm(actor=bruno, application_id=application.pk)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CONFIRMED


def _submitted(setup: dict, chloe: User) -> Application:
    application = services.application_create(actor=chloe, project_id=setup["project"].pk)
    services.application_sign_commitments(actor=chloe, application_id=application.pk, accepted=True)
    _all_done(chloe, application)
    return services.application_submit(actor=chloe, application_id=application.pk)


def test_a_level_above_the_committee_score_is_refused(
    setup: dict, bruno: User, chloe: User
) -> None:
    application = _submitted(setup, chloe)
    assignment = committee.review_assign(
        actor=bruno, application_id=application.pk, member_id=setup["member"].pk
    )
    committee.review_declare(
        actor=setup["reviewer"], assignment_id=assignment.pk, has_conflict=False
    )
    for leaf in ("2.1.1", "2.1.2"):
        committee.verdict_set(
            actor=setup["reviewer"],
            assignment_id=assignment.pk,
            node_id=_node(application.referential, leaf),
            choice="desaccord",
            status="pas-fait",
            comment="Pas prouvé.",
        )
    with pytest.raises(TurbineError, match="atteint 3 étoile"):
        committee.application_decide(
            actor=bruno,
            application_id=application.pk,
            outcome="accorde",
            level_id=application.referential.levels.get(stars=4).pk,
            reasons="…",
            meeting_date=timezone.localdate(),
        )
    assert not Decision.objects.exists()


def test_a_returned_application_becomes_editable_again(
    setup: dict, bruno: User, chloe: User
) -> None:
    application = _submitted(setup, chloe)
    committee.application_decide(
        actor=bruno,
        application_id=application.pk,
        outcome="a-reprendre",
        reasons="Ajoutez les preuves du bilan carbone.",
        meeting_date=timezone.localdate(),
    )
    services.assessment_set(
        actor=chloe,
        application_id=application.pk,
        node_id=_node(application.referential, "2.1.2"),
        status="programme",
    )
    with pytest.raises(TurbineError, match="n.attend pas"):
        committee.application_decide(
            actor=bruno,
            application_id=application.pk,
            outcome="refuse",
            reasons="",
            meeting_date=timezone.localdate(),
        )


def test_only_staff_not_linked_decide(setup: dict, bruno: User, chloe: User) -> None:
    application = _submitted(setup, chloe)
    with pytest.raises(PermissionDeniedError):
        committee.application_decide(
            actor=setup["reviewer"],
            application_id=application.pk,
            outcome="refuse",
            reasons="Non.",
            meeting_date=timezone.localdate(),
        )
    with pytest.raises(TurbineError, match="futur"):
        committee.application_decide(
            actor=bruno,
            application_id=application.pk,
            outcome="refuse",
            reasons="Non.",
            meeting_date=timezone.localdate() + datetime.timedelta(days=3),
        )


def test_a_detailed_status_needs_shares_summing_to_100(setup: dict, chloe: User) -> None:
    application = services.application_create(actor=chloe, project_id=setup["project"].pk)
    services.application_sign_commitments(actor=chloe, application_id=application.pk, accepted=True)
    node_id = _node(application.referential, "1.1.1")
    with pytest.raises(TurbineError, match="100 %"):
        services.assessment_set(
            actor=chloe,
            application_id=application.pk,
            node_id=node_id,
            status="detaille",
            percent_done="50",
            percent_planned="20",
            percent_not_done="10",
        )
    with pytest.raises(TurbineError, match="0 à 100"):
        services.assessment_set(
            actor=chloe,
            application_id=application.pk,
            node_id=node_id,
            status="detaille",
            percent_done="1e999",
            percent_planned="0",
            percent_not_done="0",
        )
    with pytest.raises(TurbineError, match="non concerné"):
        services.assessment_set(
            actor=chloe,
            application_id=application.pk,
            node_id=_node(application.referential, "1"),
            status="fait",
        )
    with pytest.raises(TurbineError, match="Expliquez"):
        services.assessment_set(
            actor=chloe, application_id=application.pk, node_id=node_id, status="non-concerne"
        )
    services.assessment_set(
        actor=chloe,
        application_id=application.pk,
        node_id=node_id,
        status="detaille",
        percent_done="50",
        percent_planned="30",
        percent_not_done="20",
    )


def test_pages_by_role(client: Client, setup: dict, bruno: User, chloe: User, alice: User) -> None:
    application = _submitted(setup, chloe)
    url = f"/label/candidatures/{application.pk}/"
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(setup["reviewer"])
    assert client.get(url).status_code == 403  # not assigned yet
    assignment = committee.review_assign(
        actor=bruno, application_id=application.pk, member_id=setup["member"].pk
    )
    assert client.get(url).status_code == 200
    committee.review_declare(
        actor=setup["reviewer"], assignment_id=assignment.pk, has_conflict=False
    )
    committee.verdict_set(
        actor=setup["reviewer"],
        assignment_id=assignment.pk,
        node_id=_node(application.referential, "2.1.2"),
        choice="desaccord",
        status="pas-fait",
        comment="Commentaire secret du comité",
    )
    client.force_login(chloe)
    assert "Commentaire secret du comité" not in client.get(url).content.decode()
    committee.application_decide(
        actor=bruno,
        application_id=application.pk,
        outcome="accorde",
        level_id=application.referential.levels.get(stars=3).pk,
        reasons="Bravo.",
        meeting_date=timezone.localdate(),
    )
    assert "Commentaire secret du comité" in client.get(url).content.decode()
    client.force_login(bruno)
    assert client.get(url).status_code == 200
    # The holder cannot post a verdict through the reviewer's address.
    client.force_login(chloe)
    node_id = _node(application.referential, "1.1.1")
    response = client.post(
        f"/label/candidatures/{application.pk}/examens/{assignment.pk}/criteres/{node_id}/",
        {"choice": "accord"},
    )
    assert response.status_code == 403


def test_registry_and_badge(client: Client, setup: dict, bruno: User, chloe: User) -> None:
    application = _submitted(setup, chloe)
    assert client.get(f"/label/badge/{application.pk}.svg").status_code == 404
    committee.application_decide(
        actor=bruno,
        application_id=application.pk,
        outcome="accorde",
        level_id=application.referential.levels.get(stars=5).pk,
        reasons="Bravo.",
        meeting_date=timezone.localdate(),
    )
    page = client.get("/label/registre/").content.decode()
    assert "Recyclerie du Lensois" in page
    assert (
        "Recyclerie du Lensois"
        not in client.get("/label/registre/", {"etoiles": "2"}).content.decode()
    )
    assert (
        client.get("/label/registre/", {"etoiles": "x\x00", "annee": "99999999999999"}).status_code
        == 200
    )
    badge = client.get(f"/label/badge/{application.pk}.svg")
    assert badge["Content-Type"].startswith("image/svg+xml")
    svg = badge.content.decode()
    assert 'role="img"' in svg and "<title" in svg and "5 étoiles sur 5" in svg
    assert f"/label/registre/{application.pk}/" in svg
    detail = client.get(f"/label/registre/{application.pk}/").content.decode()
    assert "&lt;img src=" in detail  # the embed code, escaped in the textarea


def test_reminders_are_sent_once(
    setup: dict, bruno: User, chloe: User, django_capture_on_commit_callbacks
) -> None:
    application = _submitted(setup, chloe)
    decision = committee.application_decide(
        actor=bruno,
        application_id=application.pk,
        outcome="accorde",
        level_id=application.referential.levels.get(stars=2).pk,
        reasons="Bien.",
        meeting_date=timezone.localdate(),
    )
    soon = decision.valid_until - datetime.timedelta(days=30)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert committee.send_label_reminders(today=soon) == 1
        assert committee.send_label_reminders(today=soon) == 0
        assert (
            committee.send_label_reminders(today=decision.valid_until + datetime.timedelta(days=1))
            == 1
        )
    assert [m.subject.split(":")[1].strip()[:14] for m in mail.outbox] == [
        "pensez à le re",
        "il a expiré («",
    ]


def test_referential_page_and_query_count(
    client: Client, bruno: User, django_assert_max_num_queries
) -> None:
    make_referential(bruno)
    with django_assert_max_num_queries(10):
        page = client.get("/label/referentiel/")
    assert "Bilan carbone" in page.content.decode()
    assert client.get("/label/").status_code == 200
