"""Pages of the guichet: the intake steps, the holder's space, the staff workspace."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from turbine.accounts.models import User
from turbine.core.clients import client_ip
from turbine.core.csvcells import csv_row
from turbine.core.exceptions import TurbineError
from turbine.core.models import Theme
from turbine.core.web import form_error, paginate
from turbine.guichet import forms, matching, selectors, services
from turbine.guichet.models import (
    STRUCTURED_HOLDERS,
    HolderType,
    Need,
    ProcedureTrigger,
    SupportRequest,
)
from turbine.projects.models import Project, Stage
from turbine.projects.selectors import projects_of_user
from turbine.territory.models import Commune

DRAFT_KEY = "guichet_draft"
STEPS = [
    ("who", "guichet:start", "Vous"),
    ("project", "guichet:step_project", "Votre projet"),
    ("needs", "guichet:step_needs", "Vos besoins"),
    ("submit", "guichet:step_submit", "Envoi"),
]


# --- the draft kept in the session between steps ----------------------------------------------


def _draft(request: HttpRequest) -> dict[str, Any]:
    return dict(request.session.get(DRAFT_KEY) or {})


def _save_draft(request: HttpRequest, **values: Any) -> None:
    draft = _draft(request)
    draft.update(values)
    request.session[DRAFT_KEY] = draft


def _uses_existing_project(draft: dict[str, Any]) -> bool:
    return bool(draft.get("project")) and draft["project"] != forms.NEW_PROJECT


def _missing_step(draft: dict[str, Any]) -> str | None:
    """The URL name of the first step not answered yet."""
    if "holder_type" not in draft:
        return "guichet:start"
    if not _uses_existing_project(draft) and "title" not in draft:
        return "guichet:step_project"
    if "needs" not in draft:
        return "guichet:step_needs"
    return None


def _steps(current: str, draft: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "label": label,
            "url": reverse(name),
            "current": key == current,
            "skipped": key == "project" and _uses_existing_project(draft),
        }
        for key, name, label in STEPS
    ]


def _own_projects(request: HttpRequest) -> list[Project]:
    if not request.user.is_authenticated:
        return []
    return list(projects_of_user(user=request.user).only("id", "title")[:50])


def _render_step(request: HttpRequest, step: str, form: Any, **context: Any) -> HttpResponse:
    draft = _draft(request)
    return render(
        request,
        f"guichet/intake_{step}.html",
        {"form": form, "steps": _steps(step, draft), "draft": draft, **context},
    )


def intake_who(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    projects = _own_projects(request)
    if request.method == "POST":
        form = forms.WhoForm(request.POST, projects=projects)
        if form.is_valid():
            _save_draft(
                request,
                holder_type=form.cleaned_data["holder_type"],
                structure_name=form.cleaned_data["structure_name"],
                project=form.cleaned_data.get("project") or forms.NEW_PROJECT,
            )
            if _uses_existing_project(_draft(request)):
                return redirect("guichet:step_needs")
            return redirect("guichet:step_project")
    else:
        form = forms.WhoForm(initial=draft, projects=projects)
    return _render_step(request, "who", form, has_draft=bool(draft))


def intake_project(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if "holder_type" not in draft:
        return redirect("guichet:start")
    if request.method == "POST":
        form = forms.ProjectStepForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            _save_draft(
                request,
                project=forms.NEW_PROJECT,
                title=data["title"],
                summary=data["summary"],
                themes=[t.slug for t in data["themes"]],
                communes=[c.code for c in data["communes"]],
                stage=data["stage"],
                budget=str(data["budget"]) if data["budget"] is not None else "",
                actors_count=data["actors_count"],
                timing=data["timing"],
                wished_date=data["wished_date"].isoformat() if data["wished_date"] else "",
            )
            return redirect("guichet:step_needs")
    else:
        initial = dict(draft)
        if "themes" in draft:
            initial["themes"] = list(Theme.objects.filter(slug__in=draft["themes"]))
        if "communes" in draft:
            initial["communes"] = list(Commune.objects.filter(code__in=draft["communes"]))
        form = forms.ProjectStepForm(initial=initial)
    return _render_step(request, "project", form)


def intake_needs(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    missing = _missing_step(draft)
    if missing in ("guichet:start", "guichet:step_project"):
        return redirect(missing)
    has_structure = _has_structure(draft)
    if request.method == "POST":
        form = forms.NeedsForm(request.POST, has_structure=has_structure)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["triggers"] = [t.slug for t in data["triggers"]]
            _save_draft(request, **data)
            return redirect("guichet:step_submit")
    else:
        form = forms.NeedsForm(initial=draft, has_structure=has_structure)
    return _render_step(request, "needs", form)


def _has_structure(draft: dict[str, Any]) -> bool:
    return draft.get("holder_type") in STRUCTURED_HOLDERS or bool(
        str(draft.get("structure_name", "")).strip()
    )


def _recap(draft: dict[str, Any], user: Any) -> list[tuple[str, str]]:
    rows = [("Vous êtes", str(HolderType(draft["holder_type"]).label))]
    if draft.get("structure_name"):
        rows.append(("Structure", draft["structure_name"]))
    if _uses_existing_project(draft):
        project = Project.objects.filter(pk=draft["project"]).only("title").first()
        rows.append(("Projet", project.title if project else "?"))
    else:
        themes = Theme.objects.filter(slug__in=draft.get("themes", [])).values_list(
            "name", flat=True
        )
        communes = Commune.objects.filter(code__in=draft.get("communes", [])).values_list(
            "name", flat=True
        )
        rows += [
            ("Projet", draft.get("title", "")),
            ("Description", draft.get("summary", "")),
            ("Thèmes", ", ".join(themes)),
            ("Communes", ", ".join(communes)),
            ("Étape", str(Stage(draft.get("stage", "idee")).label)),
            ("Budget estimé", f"{draft['budget']} €" if draft.get("budget") else "non précisé"),
        ]
    names = dict(Need.choices)
    rows.append(("Besoins", ", ".join(str(names.get(n, n)) for n in draft.get("needs", []))))
    situations = ProcedureTrigger.objects.filter(slug__in=draft.get("triggers", [])).values_list(
        "label", flat=True
    )
    if situations:
        rows.append(("Le projet comprend", " ; ".join(situations)))
    return rows


def intake_submit(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    missing = _missing_step(draft)
    if missing:
        return redirect(missing)
    user = request.user
    form = forms.ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        if form.is_valid():
            try:
                support_request = _submit(user, draft)
            except TurbineError as error:
                form_error(form, error)
            else:
                request.session.pop(DRAFT_KEY, None)
                messages.success(
                    request, "Votre demande est envoyée. Voici ce que la Turbine a trouvé."
                )
                return redirect("guichet:my_request", support_request.pk)
    next_query = urlencode({"next": request.path})
    project = None
    if _uses_existing_project(draft) and user.is_authenticated:
        project = projects_of_user(user=user).filter(pk=draft["project"]).first()
    query = matching.query_for_draft(draft, project=project)
    if query is not None and user.is_authenticated:
        query.exclude_user_id = user.pk
    return _render_step(
        request,
        "submit",
        form,
        found=matching.match(query) if query is not None else None,
        recap=_recap(draft, user),
        login_url=f"{reverse('account_login')}?{next_query}",
        signup_url=f"{reverse('account_signup')}?{next_query}",
    )


def _submit(user: Any, draft: dict[str, Any]) -> SupportRequest:
    common = {
        "user": user,
        "holder_type": draft["holder_type"],
        "structure_name": draft.get("structure_name", ""),
        "needs": draft.get("needs", []),
        "help_wanted": draft.get("help_wanted", ""),
        "social_urgency": bool(draft.get("social_urgency")),
        "abandonment_risk": bool(draft.get("abandonment_risk")),
        "triggers": [t for t in draft.get("triggers", []) if isinstance(t, str)],
        "consent": True,
    }
    if _uses_existing_project(draft):
        project = projects_of_user(user=user).filter(pk=draft["project"]).first()
        if project is None:
            raise services.GuichetError("Ce projet n'est pas le vôtre.", field="project")
        return services.request_submit(project=project, **common)
    wished = draft.get("wished_date")
    return services.request_submit(
        title=draft["title"],
        summary=draft.get("summary", "")[:400],
        description=draft.get("summary", ""),
        themes=Theme.objects.filter(slug__in=draft.get("themes", [])),
        communes=Commune.objects.filter(code__in=draft.get("communes", [])),
        stage=draft.get("stage", "idee"),
        budget=Decimal(draft["budget"]) if draft.get("budget") else None,
        actors_count=int(draft.get("actors_count") or 1),
        timing=draft.get("timing", ""),
        wished_date=datetime.date.fromisoformat(wished) if wished else None,
        **common,
    )


# --- the holder's space -----------------------------------------------------------------------


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    requests = list(selectors.requests_of_holder(user=request.user))
    to_act = [
        r
        for support_request in requests
        for r in support_request.recommendations.all()
        if r.status in ("proposee", "en-cours")
    ]
    deadlines = sorted(
        (r for r in to_act if r.aid and r.aid.deadline), key=lambda r: r.aid.deadline
    )
    projects = list(projects_of_user(user=request.user).select_related("guichet_mentor_offer")[:50])
    mentoring = [
        (p, getattr(p, "guichet_mentor_offer", None)) for p in projects if p.holder_user_id
    ]
    return render(
        request,
        "guichet/my_requests.html",
        {
            "requests": requests,
            "to_act": to_act,
            "deadlines": deadlines,
            "mentoring": mentoring,
        },
    )


@login_required
@require_POST
def mentor_offer(request: HttpRequest) -> HttpResponse:
    """A holder volunteers (or stops) to help newcomers with one of their projects."""
    project = projects_of_user(user=request.user).filter(pk=request.POST.get("project")).first()
    if project is None:
        raise Http404("Projet introuvable")
    active = request.POST.get("active") == "1"
    try:
        services.mentor_offer_set(
            user=request.user,
            project=project,
            active=active,
            message=request.POST.get("message", "")[:2000],
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Merci ! Les nouveaux porteurs de projets proches vous verront comme parrain ou "
            "marraine."
            if active
            else "Vous ne serez plus proposé comme parrain ou marraine pour ce projet.",
        )
    return redirect("guichet:my_requests")


@login_required
def my_request(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = selectors.get_request(user=request.user, request_id=pk)
    if support_request.holder_id != request.user.pk:
        return redirect("guichet:staff_request", pk)
    choices = selectors.aid_choices_of(support_request=support_request)
    return render(
        request,
        "guichet/my_request.html",
        {
            "support_request": support_request,
            "found": selectors.found_for(support_request=support_request, choices=choices),
            "aid_choices": choices,
            "can_choose": True,
            "can_refresh": True,
            "recommendations": selectors.recommendations_of(support_request=support_request),
            "conversation": selectors.messages_of(support_request=support_request),
            "history": selectors.history_of(support_request=support_request, staff=False),
            "message_form": forms.MessageForm(),
            "status_choices": forms.RecommendationStatusForm().fields["status"].choices,
            "ask_introduction": True,
        },
    )


@login_required
@require_POST
def recommendation_status(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    support_request = selectors.get_request(user=request.user, request_id=pk)
    recommendation = support_request.recommendations.filter(pk=rec_pk).first()
    if recommendation is None:
        raise Http404("Recommandation introuvable")
    form = forms.RecommendationStatusForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_set_status(
                user=request.user,
                recommendation=recommendation,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, "C'est noté.")
        except TurbineError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "Choisissez un statut.")
    return redirect(_back(request, support_request))


@login_required
@require_POST
def found_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder or an advisor asks Turbine to look again (after the project changed)."""
    support_request = selectors.get_request(user=request.user, request_id=pk)
    try:
        services.request_found_refresh(user=request.user, support_request=support_request)
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Les résultats sont à jour avec le catalogue des aides.")
    return redirect(_back(request, support_request) + "#titre-trouve")


@login_required
@require_POST
def aid_choice(request: HttpRequest, pk: int, aid_pk: int) -> HttpResponse:
    """The holder keeps an aid or sets it aside (« pas pour moi », with an optional reason)."""
    support_request = selectors.get_request(user=request.user, request_id=pk)
    form = forms.AidChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez de garder l'aide ou de l'écarter.")
        return redirect(_back(request, support_request) + "#titre-trouve")
    try:
        services.aid_choice_set(
            user=request.user,
            support_request=support_request,
            aid_id=aid_pk,
            choice=form.cleaned_data["choice"],
            reason=form.cleaned_data["reason"],
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "C'est noté : cette aide ne vous sera plus proposée."
            if form.cleaned_data["choice"] == "ecartee"
            else "C'est noté : vous gardez cette aide.",
        )
    return redirect(_back(request, support_request) + "#titre-trouve")


def _back(request: HttpRequest, support_request: SupportRequest) -> str:
    if support_request.holder_id == request.user.pk:
        return reverse("guichet:my_request", args=[support_request.pk])
    return reverse("guichet:staff_request", args=[support_request.pk])


@login_required
@require_POST
def message_post(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = selectors.get_request(user=request.user, request_id=pk)
    form = forms.MessageForm(request.POST)
    if form.is_valid():
        try:
            services.message_post(
                user=request.user,
                support_request=support_request,
                body=form.cleaned_data["body"],
                client_ip=client_ip(request),
            )
            messages.success(request, "Message envoyé.")
        except TurbineError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "Écrivez votre message.")
    return redirect(_back(request, support_request) + "#conversation")


# --- the staff workspace ----------------------------------------------------------------------


def _require_queue(request: HttpRequest) -> None:
    if not request.user.has_perm("guichet.view_queue"):
        raise PermissionDenied("Réservé à l'équipe de la Turbine.")


def _queue_filters(request: HttpRequest, advisors: list) -> tuple[Any, selectors.QueueFilters]:
    form = forms.QueueFilterForm(request.GET or None, advisors=advisors)
    filters = selectors.QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            agglomeration=data["agglomeration"].pk if data["agglomeration"] else None,
            theme=data["theme"].slug if data["theme"] else "",
            scale=data["scale"],
            band=data["band"],
            status=data["status"],
            advisor=data["advisor"],
            q=data["q"].replace("\x00", ""),
            sort=data["sort"] or "urgence",
            descending=data["dir"] == "inverse",
        )
    return form, filters


QUEUE_COLUMNS = [
    ("projet", "Projet"),
    ("urgence", "Priorité"),
    ("echelle", "Échelle"),
    ("statut", "Statut"),
    ("agglomeration", "Agglomération"),
    ("conseiller", "Conseiller"),
    ("reception", "Reçue le"),
    ("reponse", "Première réponse"),
]


def _columns(request: HttpRequest, filters: selectors.QueueFilters) -> list[dict[str, Any]]:
    """The sortable headers: each links to the queue sorted on it (again: the other way)."""
    params = request.GET.copy()
    params.pop("page", None)
    columns = []
    for key, label in QUEUE_COLUMNS:
        current = filters.sort == key
        params["sort"] = key
        params["dir"] = "inverse" if current and not filters.descending else ""
        columns.append(
            {
                "key": key,
                "label": label,
                "url": "?" + params.urlencode(),
                "sorted": ("descending" if filters.descending else "ascending") if current else "",
            }
        )
    return columns


@login_required
def queue(request: HttpRequest, *, bulk_form: Any = None, status: int = 200) -> HttpResponse:
    _require_queue(request)
    advisors = selectors.advisor_choices()
    form, filters = _queue_filters(request, advisors)
    try:
        page_number = int(request.GET.get("page", 1))
    except ValueError:
        page_number = 1
    shown = paginate(selectors.staff_queue(user=request.user, filters=filters), page_number)
    everywhere, covered = selectors.coverage_of(user=request.user)
    export_params = request.GET.copy()
    export_params.pop("page", None)
    return render(
        request,
        "guichet/queue.html",
        {
            "form": form,
            **shown.context("requests"),
            "columns": _columns(request, filters),
            "covers_everything": everywhere,
            "covered": covered,
            "reminders": selectors.reminders_due(user=request.user),
            "bulk_form": bulk_form or forms.BulkForm(advisors=advisors, prefix="lot"),
            "export_url": reverse("guichet:queue_export") + "?" + export_params.urlencode(),
            "today": timezone.localdate(),
            "is_htmx": request.headers.get("HX-Request") == "true",
        },
        status=status,
    )


@login_required
@require_POST
def queue_bulk(request: HttpRequest) -> HttpResponse:
    """Assign, qualify, accompany or close the requests ticked in the queue. Without
    JavaScript: back to the queue with a message; with htmx the queue is rendered at once."""
    _require_queue(request)
    advisors = selectors.advisor_choices()
    posted = [
        int(v)
        for v in request.POST.getlist("lot-ids")[: forms.BULK_MAX + 1]
        if v.isdigit() and len(v) < 13
    ]
    visible = list(
        selectors.visible_to_staff(request.user).filter(pk__in=posted).values_list("pk", flat=True)
    )
    if len(posted) > forms.BULK_MAX:
        visible = posted  # let the form say there are too many
    form = forms.BulkForm(request.POST, advisors=advisors, ids=visible, prefix="lot")
    back = reverse("guichet:queue") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, errors or "Vérifiez l'action demandée.")
        return redirect(back)
    data = form.cleaned_data
    advisor = User.objects.filter(pk=data["advisor"]).first() if data["advisor"] else None
    try:
        changed = services.requests_bulk(
            user=request.user,
            request_ids=data["ids"],
            action=data["action"],
            advisor=advisor,
            outcome=data["outcome"],
            reason=data["reason"],
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{changed} demande(s) mise(s) à jour.")
    return redirect(back)


@login_required
def queue_export(request: HttpRequest) -> HttpResponse:
    """The queue as filtered, in CSV (cells that look like formulas are neutralised)."""
    _require_queue(request)
    _, filters = _queue_filters(request, selectors.advisor_choices())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="demandes-guichet.csv"'
    response.write("\ufeff")  # spreadsheets read UTF-8 with its byte order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(selectors.QUEUE_EXPORT_HEADER)
    for row in selectors.queue_export_rows(user=request.user, filters=filters):
        writer.writerow(csv_row(row))
    return response


@login_required
def aid_options(request: HttpRequest) -> HttpResponse:
    """htmx: the catalogue's aids whose title holds the words typed, as the options of the
    « Recommander » datalist (any aid of the catalogue, not only the matched ones)."""
    _require_queue(request)
    text = request.GET.get("recommander-aid", "")[:200].replace("\x00", "")
    return render(
        request,
        "guichet/_aid_options.html",
        {"aids": selectors.aid_suggestions(text=text)},
    )


def _staff_context(request: HttpRequest, support_request: SupportRequest, **forms_: Any) -> dict:
    advisors = selectors.advisor_choices()
    choices = selectors.aid_choices_of(support_request=support_request)
    found = selectors.found_for(support_request=support_request, choices=choices)
    aid_choices = [(i.id, i.title) for i in found.aids] if found else []
    context = {
        "support_request": support_request,
        "found": found,
        "aid_choices": choices,
        "can_refresh": True,
        "suggestions": selectors.suggest_advisors(support_request=support_request),
        "recommendations": selectors.recommendations_of(support_request=support_request),
        "conversation": selectors.messages_of(support_request=support_request),
        "notes": selectors.notes_of(support_request=support_request),
        "reminders": selectors.reminders_of(support_request=support_request),
        "history": selectors.history_of(support_request=support_request, staff=True),
        "qualify_form": forms.QualifyForm(
            initial={"scale": support_request.scale}, prefix="qualifier"
        ),
        "assign_form": forms.AssignForm(
            initial={"advisor": support_request.advisor_id}, advisors=advisors, prefix="attribuer"
        ),
        "recommend_form": forms.RecommendationForm(aids=aid_choices, prefix="recommander"),
        "note_form": forms.NoteForm(prefix="note"),
        "reminder_form": forms.ReminderForm(prefix="relance"),
        "close_form": forms.CloseForm(prefix="clore"),
        "renunciation_form": forms.RenunciationForm(prefix="renoncement"),
        "message_form": forms.MessageForm(),
    }
    context.update(forms_)
    return context


@login_required
def staff_request(request: HttpRequest, pk: int) -> HttpResponse:
    _require_queue(request)
    support_request = selectors.get_request_for_staff(user=request.user, request_id=pk)
    return render(request, "guichet/staff_request.html", _staff_context(request, support_request))


ACTIONS = {
    "qualifier": "qualify_form",
    "attribuer": "assign_form",
    "recommander": "recommend_form",
    "note": "note_form",
    "relance": "reminder_form",
    "clore": "close_form",
    "renoncement": "renunciation_form",
}


@login_required
@require_POST
def staff_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One staff action on a request; on a form error the page is shown again with it."""
    _require_queue(request)
    support_request = selectors.get_request_for_staff(user=request.user, request_id=pk)
    user = request.user
    back = reverse("guichet:staff_request", args=[pk])
    try:
        if action == "accompagner":
            services.request_start_accompaniment(user=user, support_request=support_request)
            messages.success(request, "La demande passe en accompagnement.")
            return redirect(back)
        if action == "recalculer":
            services.request_retriage(user=user, support_request=support_request)
            messages.success(request, "Échelle proposée et urgence recalculées avec les grilles.")
            return redirect(back)
        if action == "rouvrir":
            services.request_reopen(user=user, support_request=support_request)
            messages.success(request, "Demande rouverte.")
            return redirect(back)
        if action not in ACTIONS:
            raise Http404("Action inconnue")
        context = _staff_context(request, support_request)
        form_name = ACTIONS[action]
        bound = _bind(action, request, context)
        if not bound.is_valid():
            context[form_name] = bound
            return render(request, "guichet/staff_request.html", context, status=400)
        try:
            _perform(action, user, support_request, bound.cleaned_data)
        except TurbineError as error:
            form_error(bound, error)
            context[form_name] = bound
            return render(request, "guichet/staff_request.html", context, status=400)
    except TurbineError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, "C'est enregistré.")
    return redirect(back)


def _bind(action: str, request: HttpRequest, context: dict) -> Any:
    unbound = context[ACTIONS[action]]
    kwargs: dict[str, Any] = {"prefix": action}
    if action == "attribuer":
        kwargs["advisors"] = selectors.advisor_choices()
    if action == "recommander":
        kwargs["aids"] = [tuple(s.split(" — ", 1)) for s in unbound.suggested]
    return type(unbound)(request.POST, **kwargs)


def _perform(action: str, user: Any, support_request: SupportRequest, data: dict) -> None:
    if action == "qualifier":
        services.request_qualify(
            user=user, support_request=support_request, scale=data["scale"], note=data["note"]
        )
    elif action == "attribuer":
        advisor = User.objects.filter(pk=data["advisor"]).first() if data["advisor"] else None
        services.request_assign(user=user, support_request=support_request, advisor=advisor)
    elif action == "recommander":
        services.recommendation_add(
            user=user,
            support_request=support_request,
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            url=data["url"],
            aid_id=data["aid"].pk if data["aid"] else None,
        )
    elif action == "note":
        services.note_add(user=user, support_request=support_request, body=data["body"])
    elif action == "relance":
        services.reminder_add(
            user=user, support_request=support_request, days=data["days"], note=data["note"]
        )
    elif action == "clore":
        services.request_close(
            user=user,
            support_request=support_request,
            outcome=data["outcome"],
            reason=data["reason"],
        )
    elif action == "renoncement":
        services.request_start_renunciation(
            user=user, support_request=support_request, reason=data["reason"]
        )


# --- public pages -----------------------------------------------------------------------------


def procedures(request: HttpRequest) -> HttpResponse:
    return render(
        request, "guichet/procedures.html", {"procedures": list(selectors.procedure_catalogue())}
    )


def figures(request: HttpRequest) -> HttpResponse:
    return render(request, "guichet/figures.html", {"stats": selectors.statistics()})
