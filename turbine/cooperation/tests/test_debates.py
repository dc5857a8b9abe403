"""Debates: arguments for and against with replies, equal weight, synthesis, moderation."""

from __future__ import annotations

import pytest

from turbine.accounts.tests.factories import UserFactory
from turbine.cooperation.models import Argument, Debate
from turbine.cooperation.services import debates as services
from turbine.cooperation.tests.factories_debates import ArgumentFactory, DebateFactory
from turbine.core import search
from turbine.core.exceptions import NotFoundError, PermissionDeniedError, TurbineError
from turbine.directory import moderation

pytestmark = pytest.mark.django_db


def test_only_staff_open_debates(territory, client, alice, bruno) -> None:
    with pytest.raises(PermissionDeniedError):
        services.debate_create(actor=alice, question="Faut-il une cantine bio ?")
    client.force_login(alice)
    assert client.get("/debats/nouveau/").status_code == 403
    client.force_login(bruno)
    response = client.post("/debats/nouveau/", {"question": "Faut-il une cantine 100 % bio ?"})
    debate = Debate.objects.get()
    assert response["Location"] == debate.get_absolute_url()
    assert client.post("/debats/nouveau/", {"question": "court"}).status_code == 200


def test_people_argue_for_and_against_and_reply(territory, client, alice) -> None:
    debate = DebateFactory()
    expert = UserFactory(roles=["conseiller"], display_name="Experte")
    services.argument_add(user=expert, debate_id=debate.pk, side="contre", text="Trop cher.")
    client.force_login(alice)
    client.post(f"/debats/{debate.pk}/contribuer/", {"side": "pour", "text": "Plus sain."})
    first = Argument.objects.get(side="pour")
    client.post(f"/debats/{debate.pk}/contribuer/", {"parent": first.pk, "text": "Et local."})
    reply = Argument.objects.get(parent=first)
    assert reply.side == "" and reply.author == alice
    page = client.get(debate.get_absolute_url())
    columns = page.context["columns"]
    assert [a.text for a in columns.for_arguments] == ["Plus sain."]
    assert [a.text for a in columns.against_arguments] == ["Trop cher."]
    text = page.content.decode()
    assert "Et local." in text and "conseiller" not in text.lower().split("<main")[1]
    # Bad input: no side, empty, too long, reply to a reply, unknown parent.
    for data in (
        {"text": "sans position"},
        {"side": "peut-être", "text": "x"},
        {"side": "pour", "text": "x" * 2001},
        {"parent": reply.pk, "text": "réponse à une réponse"},
        {"parent": "99999999999999", "text": "x"},
        {"parent": "abc\x00", "text": "x"},
    ):
        assert client.post(f"/debats/{debate.pk}/contribuer/", data).status_code == 302
    assert Argument.objects.count() == 3


def test_the_list_counts_arguments_per_side_in_bounded_queries(
    territory, client, django_assert_max_num_queries
) -> None:
    for _ in range(8):
        debate = DebateFactory()
        ArgumentFactory.create_batch(2, debate=debate, side="pour")
        ArgumentFactory(debate=debate, side="contre")
    with django_assert_max_num_queries(8):
        page = client.get("/debats/")
    assert page.status_code == 200
    assert {(d.for_count, d.against_count) for d in page.context["debates"]} == {(2, 1)}


def test_a_moderator_writes_the_synthesis_and_closes(
    territory, client, bruno, alice, django_capture_on_commit_callbacks
) -> None:
    debate = DebateFactory()
    client.force_login(alice)
    client.post(f"/debats/{debate.pk}/synthese/", {"agreements": "Tout"})
    debate.refresh_from_db()
    assert debate.agreements == ""
    client.force_login(bruno)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/debats/{debate.pk}/synthese/",
            {
                "agreements": "**La santé**",
                "disagreements": "Le coût",
                "open_questions": "Qui paie ?",
                "close": "on",
            },
        )
    debate.refresh_from_db()
    assert not debate.is_open and debate.synthesis_by == bruno
    page = client.get(debate.get_absolute_url()).content.decode()
    assert "<strong>La santé</strong>" in page and "Qui paie ?" in page
    with pytest.raises(TurbineError, match="clos"):
        services.argument_add(user=alice, debate_id=debate.pk, side="pour", text="Encore")
    assert search.search("santé", kinds=["debat"]).count == 1


def test_arguments_are_moderated_by_report(territory, alice, bruno) -> None:
    argument = ArgumentFactory(text="Propos injurieux")
    report = moderation.report_create(
        user=alice, kind="argument", object_id=str(argument.pk), reason="Injurieux"
    )
    moderation.report_handle(user=bruno, report_id=report.pk, hide=True)
    argument.refresh_from_db()
    assert argument.is_hidden
    from turbine.cooperation.selectors.debates import debate_arguments

    assert debate_arguments(debate=argument.debate).for_arguments == []
    with pytest.raises(NotFoundError):
        services.argument_add(
            user=alice, debate_id=argument.debate_id, text="r", parent_id=argument.pk
        )


def test_the_api_lists_debates(territory, client) -> None:
    debate = DebateFactory()
    ArgumentFactory(debate=debate, side="contre")
    body = client.get("/api/v1/debates").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["question"] == debate.question and item["arguments_against"] == 1
    assert client.get("/api/v1/debates?page_size=0").status_code == 422


def test_the_demo_loads_debates_with_a_synthesis(territory) -> None:
    from turbine.accounts.demo import load_people
    from turbine.cooperation.demo_debates import load_debates

    load_people()
    assert load_debates() == "3 débats"
    assert all(d.is_demo and "(démo)" in d.question for d in Debate.objects.all())
    assert Debate.objects.exclude(agreements="").count() == 1
    assert Argument.objects.filter(parent__isnull=False).exists()
