"""Staff import of organisations and projects from CSV, with a preview."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from turbine.core.exceptions import TurbineError
from turbine.core.web import form_error
from turbine.directory import imports
from turbine.directory.models import ImportBatch, ImportStatus


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Contenu du fichier"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_("UTF-8, séparateur virgule ou point-virgule, 5 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(i.kind, i.label) for i in imports.importers()]

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choisissez un fichier .csv."))
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mo : découpez-le."))
        return upload


def _staff(request: HttpRequest) -> None:
    if not request.user.has_perm("directory.import"):
        raise PermissionDenied("Réservé à l'équipe de la Turbine.")


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    _staff(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = imports.import_preview(
                user=request.user,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                raw=upload.read(),
            )
        except TurbineError as error:
            form_error(form, error)
    return render(
        request,
        "directory/import.html",
        {
            "form": form,
            "preview": preview,
            "importers": imports.importers(),
            "recent": ImportBatch.objects.exclude(status=ImportStatus.PREVIEW)[:10],
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    try:
        imports.import_confirm(user=request.user, batch_id=pk)
    except TurbineError as error:
        messages.error(request, error.message)
        return redirect("directory:import")
    return redirect("directory:import_progress", pk=pk)


@login_required
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    batch = get_object_or_404(
        ImportBatch.objects.only(
            "id", "kind", "filename", "rows_total", "created_count", "status", "message"
        ),
        pk=pk,
    )
    running = batch.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    done = cache.get(imports.progress_key(batch.pk), 0) if running else batch.created_count
    return render(
        request,
        "directory/import_progress.html",
        {"batch": batch, "running": running, "done": done},
    )
