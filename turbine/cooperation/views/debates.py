"""Pages of debates: thin views over the debates selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from turbine.cooperation.forms.debates import ArgumentForm, DebateForm, ReplyForm, SynthesisForm
from turbine.cooperation.selectors import debates as selectors
from turbine.cooperation.services import debates as services
from turbine.core.exceptions import TurbineError
from turbine.core.web import form_error


def debate_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cooperation/debates/debate_list.html",
        {
            "debates": list(selectors.debate_list()[:200]),
            "can_create": request.user.has_perm("cooperation.moderate_debate"),
        },
    )


def debate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    debate = selectors.get_debate(debate_id=pk)
    columns = selectors.debate_arguments(debate=debate)
    can_moderate = request.user.has_perm("cooperation.moderate_debate")
    return render(
        request,
        "cooperation/debates/debate_detail.html",
        {
            "debate": debate,
            "themes": list(debate.themes.all()),
            "columns": columns,
            "argument_form": ArgumentForm(),
            "can_moderate": can_moderate,
            "synthesis_form": SynthesisForm(
                initial={
                    "agreements": debate.agreements,
                    "disagreements": debate.disagreements,
                    "open_questions": debate.open_questions,
                }
            )
            if can_moderate
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def debate_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cooperation.moderate_debate"):
        raise PermissionDenied(_("Seule l'équipe de la Turbine ouvre un débat."))
    form = DebateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            debate = services.debate_create(
                actor=request.user,
                question=form.cleaned_data["question"],
                context=form.cleaned_data["context"],
                themes=tuple(form.cleaned_data["themes"]),
            )
        except TurbineError as error:
            form_error(form, error)
        else:
            return redirect(debate.get_absolute_url())
    return render(request, "cooperation/debates/debate_form.html", {"form": form})


@login_required
@require_POST
def argument_add(request: HttpRequest, pk: int) -> HttpResponse:
    debate = selectors.get_debate(debate_id=pk)
    is_reply = "parent" in request.POST
    form = ReplyForm(request.POST) if is_reply else ArgumentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Écrivez votre réponse (2 000 caractères au plus).")
            if is_reply
            else _(
                "Choisissez « pour » ou « contre » et écrivez votre argument "
                "(2 000 caractères au plus)."
            ),
        )
        return redirect(debate.get_absolute_url())
    try:
        argument = services.argument_add(
            user=request.user,
            debate_id=debate.pk,
            text=form.cleaned_data["text"],
            side=form.cleaned_data.get("side", ""),
            parent_id=form.cleaned_data.get("parent"),
        )
    except TurbineError as error:
        messages.error(request, error.message)
        return redirect(debate.get_absolute_url())
    messages.success(request, _("Votre contribution est publiée."))
    return redirect(f"{debate.get_absolute_url()}#argument-{argument.parent_id or argument.pk}")


@login_required
@require_POST
def debate_synthesis(request: HttpRequest, pk: int) -> HttpResponse:
    debate = selectors.get_debate(debate_id=pk)
    form = SynthesisForm(request.POST)
    if form.is_valid():
        try:
            services.debate_write_synthesis(
                actor=request.user, debate_id=debate.pk, **form.cleaned_data
            )
        except TurbineError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("La synthèse est enregistrée."))
    else:
        messages.error(
            request, _("Chaque partie de la synthèse tient en 10 000 caractères au plus.")
        )
    return redirect(debate.get_absolute_url())
