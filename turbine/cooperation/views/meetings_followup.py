"""Pages after a meeting: minutes and documents (organisers), feedback (participants)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from turbine.cooperation.forms.meetings import DocumentForm, FeedbackForm, MinutesForm
from turbine.cooperation.selectors import meetings as selectors
from turbine.cooperation.services import meetings as services
from turbine.cooperation.services import meetings_followup as followup
from turbine.core.exceptions import TurbineError
from turbine.core.web import form_error


@login_required
@require_http_methods(["GET", "POST"])
def event_followup(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_event_for_edit(user=request.user, event_id=pk)
    minutes_form = MinutesForm(initial={"minutes": event.minutes})
    document_form = DocumentForm()
    if request.method == "POST":
        action = request.POST.get("action")
        form: Form = minutes_form
        try:
            if action == "compte-rendu":
                form = minutes_form = MinutesForm(request.POST)
                if form.is_valid():
                    followup.event_set_minutes(
                        actor=request.user,
                        event_id=event.pk,
                        minutes=form.cleaned_data["minutes"],
                    )
                    messages.success(request, _("Le compte rendu est enregistré."))
                    return redirect("cooperation:event_followup", pk=event.pk)
            elif action == "document":
                form = document_form = DocumentForm(request.POST, request.FILES)
                if form.is_valid():
                    followup.event_document_add(
                        actor=request.user,
                        event_id=event.pk,
                        title=form.cleaned_data["title"],
                        upload=form.cleaned_data["file"],
                    )
                    messages.success(request, _("Le document est ajouté."))
                    return redirect("cooperation:event_followup", pk=event.pk)
            elif action == "supprimer-document":
                raw = request.POST.get("document", "")
                followup.event_document_delete(
                    actor=request.user,
                    document_id=int(raw) if raw.isdigit() and len(raw) < 10 else 0,
                )
                messages.success(request, _("Le document est supprimé."))
                return redirect("cooperation:event_followup", pk=event.pk)
        except TurbineError as error:
            if form.is_bound:
                form_error(form, error)
            else:
                messages.error(request, error.message)
    event = selectors.get_event(event_id=event.pk)
    return render(
        request,
        "cooperation/meetings/followup.html",
        {
            "event": event,
            "minutes_form": minutes_form,
            "document_form": document_form,
            "documents": list(event.documents.all()),
            "counts": selectors.attendance_counts(event=event),
            "feedback": selectors.feedback_summary(event=event),
            "comments": selectors.feedback_comments(event=event),
        },
    )


def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    document = selectors.get_document(document_id=document_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("Document introuvable") from None
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=True,
        filename=f"{document.title[:80]}{document.file.name[document.file.name.rfind('.') :]}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def event_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """The short feedback form, from the event page (signed in) or the personal link."""
    event = selectors.get_event(event_id=pk)
    form = FeedbackForm(request.POST)
    token = request.POST.get("token", "")[:100]
    if token:
        try:
            registration = services.get_registration_by_token(token=token)
        except TurbineError as error:
            raise Http404(error.message) from None
        back = redirect("cooperation:registration_personal", token=token)
    else:
        registration = selectors.registration_of(user=request.user, event=event)
        back = redirect(event.get_absolute_url())
    if registration is None or registration.event_id != event.pk:
        messages.error(request, _("Seules les personnes inscrites peuvent donner leur avis."))
        return back
    if not form.is_valid():
        messages.error(request, _("Choisissez une appréciation de 1 à 5."))
        return back
    try:
        followup.feedback_submit(
            registration=registration,
            rating=form.cleaned_data["rating"],
            useful=form.cleaned_data["useful"],
            comment=form.cleaned_data["comment"],
        )
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Merci pour votre avis."))
    return back
