"""Pages of the charter: its text and the sign form, its signatories, staff's versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from turbine.core.exceptions import TurbineError
from turbine.directory.models import Organisation
from turbine.label.forms import CharterSignForm, CharterVersionForm, SignatoryFilterForm
from turbine.label.models import CharterVersion
from turbine.label.selectors import charter as selectors
from turbine.label.services import charter as services
from turbine.label.views._common import form_error, int_or_none, require_perm
from turbine.territory.models import Commune

SIGNATORIES_PAGE = 100


def charter(request: HttpRequest) -> HttpResponse:
    version = selectors.current_version()
    members = selectors.signable_members(user=request.user, version=version)
    form = None
    if version is not None and any(not m.signed_current for m in members):
        form = CharterSignForm(
            members=members, initial={"signer_name": getattr(request.user, "display_name", "")}
        )
    return _charter_page(request, version=version, members=members, form=form)


def _charter_page(
    request: HttpRequest, *, version: CharterVersion | None, members: list, form: object
) -> HttpResponse:
    return render(
        request,
        "label/charter.html",
        {
            "version": version,
            "versions": list(selectors.published_versions()),
            "members": members,
            "form": form,
            "signatory_count": (
                selectors.signatures_filtered(version=version).count() if version else 0
            ),
            "can_manage": request.user.has_perm("label.manage_charter"),
        },
    )


@login_required
@require_POST
def charter_sign(request: HttpRequest) -> HttpResponse:
    version = selectors.current_version()
    if version is None:
        raise Http404(_("La charte n'est pas encore publiée."))
    members = selectors.signable_members(user=request.user, version=version)
    form = CharterSignForm(request.POST, members=members)
    if form.is_valid():
        organisation_id, commune_id = form.member_ids()
        try:
            signature = services.charter_sign(
                actor=request.user,
                version_id=int_or_none(request.POST.get("version")) or 0,
                organisation_id=organisation_id,
                commune_id=commune_id,
                signer_name=form.cleaned_data["signer_name"],
                signer_role=form.cleaned_data["signer_role"],
                accepted=form.cleaned_data["accepted"],
            )
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Merci : %(member)s adhère à la charte de la Turbine (version %(n)s).")
                % {"member": signature.member_name, "n": version.number},
            )
            return redirect("label:signatories")
    return _charter_page(request, version=version, members=members, form=form)


def signatories(request: HttpRequest) -> HttpResponse:
    version = selectors.current_version()
    form = SignatoryFilterForm(request.GET or None)
    family = agglomeration = ""
    if form.is_valid():
        family = form.cleaned_data["family"]
        agglomeration = form.cleaned_data["agglomeration"]
    rows = []
    pending = []
    count = 0
    page = 1
    if version is not None:
        qs = selectors.signatures_filtered(
            version=version, family=family, agglomeration=agglomeration
        )
        count = qs.count()
        page = min(int_or_none(request.GET.get("page")) or 1, 100_000)
        rows = list(qs[(page - 1) * SIGNATORIES_PAGE : page * SIGNATORIES_PAGE])
        if not family and not agglomeration:
            pending = selectors.renewals_pending(version=version)
    return render(
        request,
        "label/signatories.html",
        {
            "version": version,
            "form": form,
            "rows": rows,
            "count": count,
            "page": page,
            "page_size": SIGNATORIES_PAGE,
            "pending": pending,
        },
    )


def organisation_history(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk, is_hidden=False)
    return render(
        request,
        "label/member_history.html",
        {
            "member_name": organisation.name,
            "member_url": organisation.get_absolute_url(),
            "history": list(selectors.organisation_history(organisation_id=organisation.pk)),
            "version": selectors.current_version(),
        },
    )


def commune_history(request: HttpRequest, code: str) -> HttpResponse:
    commune = get_object_or_404(Commune, code=code[:5])
    return render(
        request,
        "label/member_history.html",
        {
            "member_name": _("Commune de %(name)s") % {"name": commune.name},
            "member_url": None,
            "history": list(selectors.commune_history(commune_id=commune.pk)),
            "version": selectors.current_version(),
        },
    )


@login_required
def version_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "label.manage_charter")
    return render(
        request,
        "label/version_list.html",
        {"versions": list(CharterVersion.objects.order_by("-number"))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_perm(request, "label.manage_charter")
    version = get_object_or_404(CharterVersion, pk=pk) if pk else None
    if version is not None and version.is_published:
        messages.error(request, _("Une version publiée ne se modifie plus."))
        return redirect("label:version_list")
    initial = {}
    if version is None:
        latest = CharterVersion.objects.order_by("-number").first()
        if latest is not None:
            initial = {"title": latest.title, "text": latest.text}
    else:
        initial = {"title": version.title, "text": version.text, "changes": version.changes}
    form = CharterVersionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if version is None:
                version = services.charter_version_create(actor=request.user, **form.cleaned_data)
            else:
                services.charter_version_update(
                    actor=request.user, version_id=version.pk, **form.cleaned_data
                )
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Le brouillon est enregistré."))
            return redirect("label:version_list")
    return render(request, "label/version_form.html", {"form": form, "version": version})


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "label.manage_charter")
    try:
        version = services.charter_version_publish(actor=request.user, version_id=pk)
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "La version %(n)s est publiée ; les signataires des versions précédentes sont "
                "invités par courriel à la signer."
            )
            % {"n": version.number},
        )
    return redirect("label:version_list")
