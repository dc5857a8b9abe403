from __future__ import annotations

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone, translation

from turbine.accounts.tests.factories import UserFactory
from turbine.core.exceptions import PermissionDeniedError, ThrottledError
from turbine.funding.tests.factories import make_aid
from turbine.guichet import selectors, services, triage
from turbine.guichet.models import (
    HistoryEntry,
    Recommendation,
    ScaleCriterion,
    Status,
    SupportRequest,
    UrgencyBand,
    UrgencyCriterion,
)
from turbine.guichet.services import GuichetError
from turbine.guichet.tests.factories import BETHUNE, LENS, advisor, make_request
from turbine.projects.models import Project

pytestmark = pytest.mark.usefixtures("perimeters")


def test_it_creates_a_request_with_a_new_draft_project_and_its_triage(chloe) -> None:
    support_request = make_request(
        holder=chloe, themes=["energie"], social_urgency=True, abandonment_risk=True,
        actors_count=12, budget=400_000, stage="realisation",
    )  # fmt: skip
    project = support_request.project
    assert project.holder_user == chloe and project.visibility == "draft"
    assert support_request.agglomeration.name.startswith("CA de Béthune")
    assert support_request.status == Status.NEW
    assert support_request.proposed_scale == 3
    assert len(support_request.scale_detail) == 4
    # climate (3) + social (3) + abandonment (2) of 10: 80.
    assert support_request.urgency_score == 80
    assert support_request.urgency_band == UrgencyBand.HIGH
    reasons = [d["reason"] for d in support_request.urgency_detail]
    assert "Thèmes à forte urgence climatique : Énergie." in reasons
    assert HistoryEntry.objects.filter(request=support_request, action="creation").exists()


def test_it_refuses_without_consent_verified_email_or_needs(chloe) -> None:
    with pytest.raises(GuichetError) as error:
        make_request(holder=chloe, consent=False)
    assert error.value.field == "consent"
    with pytest.raises(GuichetError) as error:
        make_request(holder=chloe, needs=[])
    assert error.value.field == "needs"
    EmailAddress.objects.filter(user=chloe).update(verified=False)
    with pytest.raises(GuichetError) as error:
        make_request(holder=chloe)
    assert error.value.field == "email"
    assert Project.objects.filter(holder_user=chloe).count() == 0


def test_it_links_a_request_to_an_existing_project_of_the_holder_only(chloe, alice) -> None:
    first = make_request(holder=chloe)
    second = services.request_submit(
        user=chloe, project=first.project, holder_type="association", needs=["lieu"], consent=True
    )
    assert second.project == first.project
    with pytest.raises(PermissionDeniedError):
        services.request_submit(
            user=alice, project=first.project, holder_type="habitant", needs=["lieu"], consent=True
        )


def test_the_grids_are_configurable(chloe) -> None:
    ScaleCriterion.objects.filter(key="acteurs").update(level2_from=1, level3_from=2)
    UrgencyCriterion.objects.exclude(key="social").update(is_active=False)
    data = triage.TriageInput(actors_count=5, social_urgency=True)
    assert triage.urgency(data)[0] == 100
    level, detail = triage.propose_scale(data)
    assert {d["criterion"]: d["level"] for d in detail}["Nombre d'acteurs impliqués"] == 3
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    UrgencyCriterion.objects.filter(key="echeance").update(is_active=True)
    score, band, detail = triage.urgency(triage.TriageInput(deadline=deadline))
    assert detail[0]["reason"].startswith("Échéance dans moins de 30 jours")


def test_it_follows_a_request_to_its_end(chloe, django_capture_on_commit_callbacks) -> None:
    bruno = advisor(agglomeration_of=BETHUNE, themes=["alimentation"])
    other = advisor()
    support_request = make_request(holder=chloe)
    assert [s.user for s in selectors.suggest_advisors(support_request=support_request)] == [bruno]
    services.request_qualify(user=bruno, support_request=support_request, scale=2)
    services.request_assign(user=bruno, support_request=support_request, advisor=other)
    aid = make_aid(themes=["alimentation"], beneficiaries=["association"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        recommendation = services.recommendation_add(
            user=bruno, support_request=support_request, kind="aide", title="", aid_id=aid.pk
        )
    assert recommendation.title == aid.title
    assert mail.outbox[-1].to == ["chloe@example.org"]
    support_request.refresh_from_db()
    assert support_request.first_answer_at is not None
    services.recommendation_set_status(user=chloe, recommendation=recommendation, status="faite")
    with pytest.raises(GuichetError):
        services.recommendation_set_status(
            user=chloe, recommendation=recommendation, status="ecartee"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(user=chloe, support_request=support_request, body="Merci !")
    assert mail.outbox[-1].to == [other.email]
    services.request_start_accompaniment(user=bruno, support_request=support_request)
    services.request_start_renunciation(
        user=bruno, support_request=support_request, reason="Artificialise une zone humide."
    )
    closed = services.request_close(
        user=bruno, support_request=support_request, outcome="renoncee", reason="Transformé."
    )
    assert closed.status == Status.CLOSED and closed.renunciation
    actions = list(HistoryEntry.objects.filter(request=closed).values_list("action", flat=True))
    assert actions == [
        "creation", "qualification", "attribution", "recommandation", "suivi-recommandation",
        "message", "accompagnement", "renoncement", "cloture",
    ]  # fmt: skip


def test_reminders_are_sent_once_when_due(chloe, django_capture_on_commit_callbacks) -> None:
    bruno = advisor(agglomeration_of=BETHUNE)
    support_request = make_request(holder=chloe)
    services.reminder_add(user=bruno, support_request=support_request, days=30, note="Devis ?")
    assert services.reminders_send_due() == 0
    later = timezone.localdate() + datetime.timedelta(days=30)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due(today=later) == 1
    assert services.reminders_send_due(today=later) == 0
    assert mail.outbox[0].to == [bruno.email]


def test_every_role_against_every_object(chloe, alice, bruno) -> None:
    local = advisor(agglomeration_of=BETHUNE)
    remote = advisor(agglomeration_of=LENS)
    admin = UserFactory(roles=["administrateur"])
    support_request = make_request(holder=chloe)
    note = services.note_add(user=local, support_request=support_request, body="Privé")
    assert note.pk
    allowed_view = {
        chloe: True,
        alice: False,
        bruno: False,
        local: True,
        remote: False,
        admin: True,
    }
    for user, expected in allowed_view.items():
        assert user.has_perm("guichet.view_request", support_request) is expected, user
        staff = user.has_perm("guichet.follow_request", support_request)
        assert staff is (expected and user != chloe), user
    for user in (chloe, alice, bruno, remote):
        with pytest.raises(PermissionDeniedError):
            services.note_add(user=user, support_request=support_request, body="x")
        with pytest.raises(PermissionDeniedError):
            services.request_qualify(user=user, support_request=support_request, scale=1)
        with pytest.raises(PermissionDeniedError):
            services.recommendation_add(
                user=user, support_request=support_request, kind="autre", title="x"
            )
    for user in (alice, bruno, remote):
        with pytest.raises(PermissionDeniedError):
            services.message_post(user=user, support_request=support_request, body="x")
    # Assigned to a remote advisor: they see it now.
    services.request_assign(user=local, support_request=support_request, advisor=remote)
    support_request.refresh_from_db()
    assert remote.has_perm("guichet.follow_request", support_request)
    rec = services.recommendation_add(
        user=local, support_request=support_request, kind="autre", title="Lire le guide"
    )
    with pytest.raises(PermissionDeniedError):
        services.recommendation_set_status(user=alice, recommendation=rec, status="faite")
    assert Recommendation.objects.get(pk=rec.pk).status == "proposee"


def test_the_personal_data_section_exports_and_deletes(chloe) -> None:
    from turbine.guichet import personal_data_sections as section

    local = advisor(agglomeration_of=BETHUNE)
    support_request = make_request(holder=chloe)
    services.message_post(user=chloe, support_request=support_request, body="Bonjour")
    services.note_add(user=local, support_request=support_request, body="Interne")
    exported = section.export_requests(chloe)
    assert exported[0]["messages"][0] == {
        "from_me": True,
        "body": "Bonjour",
        "created_at": exported[0]["messages"][0]["created_at"],
    }
    assert "Interne" not in str(exported)
    section.delete_guichet_data(chloe)
    assert not SupportRequest.objects.filter(holder=chloe).exists()


def test_covering_advisors_are_told_of_a_new_request(
    chloe, django_capture_on_commit_callbacks
) -> None:
    local = advisor(agglomeration_of=BETHUNE)
    advisor(agglomeration_of=LENS)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        support_request = make_request(holder=chloe)
    assert [m.to for m in mail.outbox] == [[local.email]]
    assert f"/guichet/suivi/{support_request.pk}/" in mail.outbox[0].body


def test_it_names_a_closed_request_cloturee_not_django_s_fermer() -> None:
    with translation.override("fr"):
        assert str(Status.CLOSED.label) == "Clôturée"


def test_it_throttles_the_holders_messages_per_ip_address(chloe, monkeypatch) -> None:
    monkeypatch.setattr(services, "MESSAGES_PER_IP_PER_HOUR", 2)
    local = advisor(agglomeration_of=BETHUNE)
    support_request = make_request(holder=chloe)
    for body in ("Un", "Deux"):
        services.message_post(
            user=chloe, support_request=support_request, body=body, client_ip="192.0.2.1"
        )
    with pytest.raises(ThrottledError, match="Trop d'envois depuis votre connexion"):
        services.message_post(
            user=chloe, support_request=support_request, body="Trois", client_ip="192.0.2.1"
        )
    # Another connection, and advisors (who share their office's address), still write.
    services.message_post(
        user=chloe, support_request=support_request, body="Trois", client_ip="192.0.2.2"
    )
    services.message_post(
        user=local, support_request=support_request, body="Réponse", client_ip="192.0.2.1"
    )
    assert [m.body for m in support_request.messages.order_by("pk")] == [
        "Un",
        "Deux",
        "Trois",
        "Réponse",
    ]
