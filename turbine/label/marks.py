"""What the charter and the label show on the directory's and the projects' pages, which may
not import this app: badges (« Signataire de la charte », « Labellisé »), list filters, a
charter section on an organisation's page, and the charter step of an organisation's creation.
Registered with the core mechanisms when the app is ready."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from turbine.core import badges, form_extensions, page_sections
from turbine.core.exceptions import TurbineError
from turbine.directory.models import Organisation
from turbine.label.forms import JoinCharterForm
from turbine.label.selectors import charter as charter_selectors
from turbine.label.selectors import label as label_selectors
from turbine.label.selectors.label import RegistryEntry
from turbine.label.services.charter import charter_sign

CHARTER_KEY = "charte"
LABEL_KEY = "label"


def _stars(n: int) -> str:
    return _("%(n)s étoile sur 5") % {"n": n} if n == 1 else _("%(n)s étoiles sur 5") % {"n": n}


def label_badge(entry: RegistryEntry) -> badges.Badge:
    decision = entry.decision
    assert decision.level is not None and decision.valid_until is not None  # a granted label
    return badges.Badge(
        text=_("Label Turbine · %(stars)s") % {"stars": _stars(decision.level.stars)},
        url=reverse("label:registry_detail", args=[entry.application.pk]),
        title=_("niveau « %(level)s », valable jusqu'au %(date)s : voir au registre du label")
        % {"level": decision.level.name, "date": f"{decision.valid_until:%d/%m/%Y}"},
        variant="label",
    )


def organisation_badges(ids: Sequence[int]) -> dict[int, list[badges.Badge]]:
    out: dict[int, list[badges.Badge]] = {}
    for organisation_id, signature in charter_selectors.current_signatures_of(ids).items():
        out.setdefault(organisation_id, []).append(
            badges.Badge(
                text=_("Signataire de la charte · v%(n)s") % {"n": signature.version.number},
                url=reverse("label:organisation_history", args=[organisation_id]),
                title=_("adhère à la version en vigueur de la charte depuis le %(date)s")
                % {"date": f"{signature.signed_at:%d/%m/%Y}"},
                variant="charter",
            )
        )
    for organisation_id, entry in label_selectors.labels_of_organisations(ids).items():
        out.setdefault(organisation_id, []).append(label_badge(entry))
    return out


def project_badges(ids: Sequence[int]) -> dict[int, list[badges.Badge]]:
    return {
        project_id: [label_badge(entry)]
        for project_id, entry in label_selectors.labels_of_projects(ids).items()
    }


def only_signatories(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(pk__in=charter_selectors.current_signatory_organisation_ids())


def only_labelled_projects(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(pk__in=label_selectors.labelled_project_ids())


def organisation_charter_section(request: Any, organisation: Organisation) -> str:
    """The charter on an organisation's page: its adherences, and for one of its
    administrators who has not signed the current version, the way to do it."""
    version = charter_selectors.current_version()
    if version is None:
        return ""
    history = list(charter_selectors.organisation_history(organisation_id=organisation.pk))
    user = getattr(request, "user", None)
    current = next((s for s in history if s.version_id == version.pk), None)
    can_sign = (
        current is None
        and user is not None
        and user.is_authenticated
        and user.has_perm("label.sign_for_organisation", organisation)
    )
    return render_to_string(
        "label/_organisation_charter.html",
        {
            "organisation": organisation,
            "version": version,
            "current": current,
            "latest": history[0] if history else None,
            "can_sign": can_sign,
        },
        request=request,
    )


def join_charter_form(
    user: Any, data: Mapping[str, Any] | None, prefix: str, instance: Any = None
) -> forms.Form | None:
    version = charter_selectors.current_version()
    if version is None:
        return None  # no charter published yet: nothing to adhere to
    form = JoinCharterForm(
        data,
        prefix=prefix,
        version_number=version.number,
        initial={"version": version.pk, "signer_name": getattr(user, "display_name", "")},
    )
    form.charter_version = version  # type: ignore[attr-defined]  # for its template
    return form


def join_charter_save(user: Any, organisation: Organisation, form: forms.Form) -> None:
    data = form.cleaned_data
    charter_sign(
        actor=user,
        version_id=data["version"],
        organisation_id=organisation.pk,
        signer_name=data["signer_name"],
        signer_role=data["signer_role"],
        accepted=data["accepted"],
    )


def join_charter_save_data(user: Any, organisation: Organisation, value: Any) -> None:
    """``charter`` of ``POST /api/v1/organisations``: ``{"version": its number, "accepted",
    "signer_name", "signer_role"}``, checked by the page's own form."""
    version = charter_selectors.current_version()
    if version is None:
        raise TurbineError(
            _("Aucune charte n'est publiée : il n'y a rien à signer."), field="charter"
        )
    if value.get("version") != version.number:
        raise TurbineError(
            _(
                "La version en vigueur de la charte est la version %(number)s : relisez-la "
                "avant de signer."
            )
            % {"number": version.number},
            field="charter",
        )
    form = JoinCharterForm(
        {
            "version": version.pk,
            "accepted": "on" if value.get("accepted") else "",
            "signer_name": value.get("signer_name") or "",
            "signer_role": value.get("signer_role") or "",
        },
        version_number=version.number,
    )
    if not form.is_valid():
        errors = next(iter(form.errors.values()))
        raise TurbineError(str(errors[0]), field="charter")
    join_charter_save(user, organisation, form)


def register() -> None:
    badges.register(
        "organisation",
        key=CHARTER_KEY,
        badges=organisation_badges,
        filter_label=gettext_lazy("Seulement les signataires de la charte"),
        filter=only_signatories,
    )
    badges.register(
        "project",
        key=LABEL_KEY,
        badges=project_badges,
        filter_label=gettext_lazy("Seulement les projets labellisés"),
        filter=only_labelled_projects,
    )
    page_sections.register("organisation", organisation_charter_section)
    form_extensions.register(
        "organisation_create",
        form_extensions.Extension(
            key=CHARTER_KEY,
            form=join_charter_form,
            template_name="label/_join_charter.html",
            save=join_charter_save,
            save_data=join_charter_save_data,
        ),
    )


register()
