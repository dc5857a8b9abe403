"""Debates' registrations: permissions (``rules``), moderation by report, search."""

from __future__ import annotations

from collections.abc import Iterator

import rules

from turbine.accounts.rules import is_turbine_staff
from turbine.cooperation.models import Argument, Debate
from turbine.core import search
from turbine.directory import moderation

rules.add_perm("cooperation.moderate_debate", is_turbine_staff)


def _describe_argument(object_id: str) -> tuple[str, str] | None:
    if not object_id.isdigit() or len(object_id) > 12:
        return None
    argument = (
        Argument.objects.select_related("debate")
        .filter(pk=int(object_id), is_hidden=False, debate__is_hidden=False)
        .first()
    )
    if argument is None:
        return None
    return (
        f"Argument : « {argument.text[:80]} »",
        argument.debate.get_absolute_url() + f"#argument-{argument.pk}",
    )


def _hide_argument(object_id: str, hidden: bool) -> None:
    Argument.objects.filter(pk=int(object_id)).update(is_hidden=hidden)


moderation.register(
    kind="argument",
    label="Argument d'un débat",
    describe=_describe_argument,
    set_hidden=_hide_argument,
)

KIND = "debat"


def debate_documents(debates=None) -> Iterator[search.Document]:
    qs = debates if debates is not None else Debate.objects.public().prefetch_related("themes")
    for debate in qs:
        yield search.Document(
            kind=KIND,
            object_id=str(debate.pk),
            title=debate.question,
            body=" ".join(
                [debate.context, debate.agreements, debate.disagreements, debate.open_questions]
            ),
            url=debate.get_absolute_url(),
            themes=[t.slug for t in debate.themes.all()],
        )


def index_debates(*, ids: list[int]) -> None:
    public = list(Debate.objects.public().filter(pk__in=ids).prefetch_related("themes"))
    search.index(debate_documents(public))
    gone = set(ids) - {d.pk for d in public}
    if gone:
        search.unindex(kind=KIND, object_ids=[str(i) for i in gone])


search.register(kind=KIND, label="Débats", documents=debate_documents)
