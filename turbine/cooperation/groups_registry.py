"""Working groups' registrations: permissions (``rules``), moderation by report."""

from __future__ import annotations

import rules

from turbine.accounts.rules import is_turbine_staff
from turbine.cooperation.models import GroupMessage, KnowHowOffer, WorkingGroup
from turbine.directory import moderation

rules.add_perm("cooperation.manage_work_themes", is_turbine_staff)


def _describer(model, title):
    def describe(object_id: str) -> tuple[str, str] | None:
        if not object_id.isdigit() or len(object_id) > 12:
            return None
        item = model.objects.filter(pk=int(object_id), is_hidden=False).first()
        return (title(item), url(item)) if item else None

    def url(item) -> str:
        return (
            item.group.get_absolute_url()
            if isinstance(item, GroupMessage)
            else item.get_absolute_url()
        )

    return describe


def _hider(model):
    def set_hidden(object_id: str, hidden: bool) -> None:
        model.objects.filter(pk=int(object_id)).update(is_hidden=hidden)

    return set_hidden


moderation.register(
    kind="groupe",
    label="Groupe de travail",
    describe=_describer(WorkingGroup, lambda g: g.name),
    set_hidden=_hider(WorkingGroup),
)
moderation.register(
    kind="message-groupe",
    label="Message d'un groupe de travail",
    describe=_describer(GroupMessage, lambda m: f"Message : « {m.body[:80]} »"),
    set_hidden=_hider(GroupMessage),
)
moderation.register(
    kind="savoir-faire",
    label="Savoir-faire à transmettre",
    describe=_describer(KnowHowOffer, lambda o: o.title),
    set_hidden=_hider(KnowHowOffer),
)
