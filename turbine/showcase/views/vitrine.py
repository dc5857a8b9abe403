"""The living showcase: the three families of actors, portraits with consent, the latest
know-how; staff curate the portraits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from turbine.core.exceptions import TurbineError
from turbine.core.web import form_error, paginate, raise_http, require_perm
from turbine.directory.models import Family
from turbine.showcase import selectors
from turbine.showcase.forms import FilterForm, PortraitForm
from turbine.showcase.models import Portrait
from turbine.showcase.services import people as services

FAMILY_INTROS = {
    Family.DOERS: _lazy(
        "Celles et ceux qui portent les projets sur le terrain : habitants, associations, "
        "entreprises, communes."
    ),
    Family.HELPERS: _lazy(
        "Celles et ceux qui accompagnent : conseillers, financeurs, têtes de réseau, centres "
        "de ressources."
    ),
    Family.SPREADERS: _lazy(
        "Celles et ceux qui font connaître et transmettent : éducation populaire, médias, "
        "formateurs, CERDD, CD2E."
    ),
}


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "showcase/vitrine/home.html",
        {
            "families": selectors.family_overview(),
            "latest": selectors.latest_know_how(),
            "stories": list(selectors.story_list(filters=selectors.ShowcaseFilters())[:3]),
            "intros": FAMILY_INTROS,
            "can_manage": request.user.has_perm("showcase.manage_portraits"),
        },
    )


def family(request: HttpRequest, family: str) -> HttpResponse:
    if family not in Family.values:
        raise Http404(_("Cette famille d'acteurs n'existe pas."))
    form = FilterForm(request.GET or None)
    qs = selectors.public_portraits(filters=form.filters()).filter(family=family)
    return render(
        request,
        "showcase/vitrine/family.html",
        {
            "form": form,
            "family": family,
            "family_label": Family(family).label,
            "intro": FAMILY_INTROS[Family(family)],
            "other_families": [(k, v) for k, v in Family.choices if k != family],
            **paginate(qs, form.page_number()).context(),
        },
    )


@login_required
def portrait_mine(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        portrait = selectors.get_portrait_for_person(user=request.user, portrait_id=pk)
    except TurbineError as error:
        raise_http(error)
        raise
    if request.method == "POST":
        agree = request.POST.get("decision") == "accord"
        services.portrait_decide_consent(user=request.user, portrait_id=pk, agree=agree)
        messages.success(
            request,
            _("Merci, votre accord est enregistré.")
            if agree
            else _("Votre accord est retiré : le portrait n'est plus visible."),
        )
        return redirect("showcase:portrait_mine", pk=pk)
    return render(request, "showcase/vitrine/portrait_mine.html", {"portrait": portrait})


def _portrait_data(form: PortraitForm) -> services.PortraitData:
    d = form.cleaned_data
    return services.PortraitData(
        name=d["name"],
        role=d["role"],
        family=d["family"],
        know_how=d["know_how"],
        tips=d["tips"],
        can_teach=d["can_teach"],
        person_email=d.get("person_email", ""),
        organisation_id=d["organisation"],
        commune_code=d["commune"],
        theme_slugs=d["themes"],
        project_ids=d["projects"],
    )


@login_required
def portrait_staff(request: HttpRequest) -> HttpResponse:
    require_perm(request, "showcase.manage_portraits")
    form = PortraitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portrait = services.portrait_create(actor=request.user, data=_portrait_data(form))
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Portrait enregistré."))
            return redirect("showcase:portrait_manage", pk=portrait.pk)
    return render(
        request,
        "showcase/vitrine/portrait_staff.html",
        {"form": form, "portraits": list(selectors.portraits_for_staff()[:200])},
    )


@login_required
def portrait_manage(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "showcase.manage_portraits")
    portrait = (
        Portrait.objects.select_related("organisation", "commune", "person").filter(pk=pk).first()
    )
    if portrait is None:
        raise Http404
    initial = {
        "name": portrait.name,
        "role": portrait.role,
        "family": portrait.family,
        "know_how": portrait.know_how,
        "tips": portrait.tips,
        "can_teach": portrait.can_teach,
        "organisation": portrait.organisation.name if portrait.organisation else "",
        "commune": portrait.commune.code if portrait.commune else "",
        "themes": [t.slug for t in portrait.themes.all()],
        "projects": ", ".join(str(p.pk) for p in portrait.projects.all()),
    }
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = PortraitForm(
        request.POST if action == "modifier" else None, initial=initial, editing=True
    )
    error_message = ""
    if action:
        try:
            if action == "modifier":
                if form.is_valid():
                    services.portrait_update(
                        actor=request.user, portrait_id=pk, data=_portrait_data(form)
                    )
                    messages.success(request, _("Portrait modifié."))
                    return redirect("showcase:portrait_manage", pk=pk)
            elif action in ("publier", "retirer"):
                services.portrait_publish(
                    actor=request.user, portrait_id=pk, publish=action == "publier"
                )
                messages.success(
                    request,
                    _("Portrait publié.")
                    if action == "publier"
                    else _("Portrait retiré de la vitrine."),
                )
                return redirect("showcase:portrait_manage", pk=pk)
            elif action == "accord":
                services.portrait_record_consent(
                    actor=request.user,
                    portrait_id=pk,
                    record=request.POST.get("consent_record", ""),
                )
                messages.success(request, _("Accord enregistré."))
                return redirect("showcase:portrait_manage", pk=pk)
            elif action in ("mettre-en-avant", "ne-plus-mettre-en-avant"):
                services.portrait_feature(
                    actor=request.user, portrait_id=pk, featured=action == "mettre-en-avant"
                )
                return redirect("showcase:portrait_manage", pk=pk)
        except TurbineError as error:
            if action == "modifier":
                form_error(form, error)
            else:
                error_message = error.message
    return render(
        request,
        "showcase/vitrine/portrait_manage.html",
        {"portrait": portrait, "form": form, "error_message": error_message},
    )
