"""Pages of the directory: organisations, people, networks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from turbine.core import badges, form_extensions
from turbine.core.exceptions import TurbineError
from turbine.core.web import form_error, paginate
from turbine.directory import exports, introductions, matching, selectors, services
from turbine.directory.forms import FilterForm, JoinForm, OrganisationForm, ProfileForm
from turbine.directory.views.maps import map_settings

ORGANISATION_FILTERS = (
    "q",
    "theme",
    "agglomeration",
    "commune",
    "kind",
    "family",
    "network",
    "sort",
)
PEOPLE_FILTERS = ("q", "theme", "agglomeration", "commune", "network", "sort")


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, fields=ORGANISATION_FILTERS, badge_kind="organisation")
    filters = form.filters()
    shown = paginate(selectors.organisation_list(filters=filters), form.page_number())
    return render(
        request,
        "directory/organisation_list.html",
        {
            "form": form,
            "filters": filters,
            **shown.context("organisations"),
            "badges": badges.collect("organisation", [o.pk for o in shown.items]),
            "can_create": request.user.has_perm("directory.add_organisation"),
        },
    )


def organisation_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    form = FilterForm(request.GET or None, fields=ORGANISATION_FILTERS, badge_kind="organisation")
    qs = selectors.organisation_list(filters=form.filters())
    base = request.build_absolute_uri("/")[:-1]
    return exports.csv_response(
        filename="turbine-organisations",
        header=exports.ORGANISATION_HEADER,
        rows=(exports.organisation_row(o, base) for o in qs.iterator(chunk_size=exports.CHUNK)),
    )


def organisation_export_geojson(request: HttpRequest) -> StreamingHttpResponse:
    form = FilterForm(request.GET or None, fields=ORGANISATION_FILTERS, badge_kind="organisation")
    qs = selectors.organisation_list(filters=form.filters()).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    base = request.build_absolute_uri("/")[:-1]
    return exports.geojson_response(
        filename="turbine-organisations",
        items=qs.iterator(chunk_size=exports.CHUNK),
        feature=lambda o: exports.organisation_feature(o, base),
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = selectors.get_organisation(user=user, organisation_id=pk)
    can_edit = user.has_perm("directory.change_organisation", organisation)
    can_see_private = can_edit or user.has_perm("directory.view_private_contact", organisation)
    suggestions = matching.suggestions_for_organisation(organisation)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "badges": badges.collect("organisation", [organisation.pk]),
            "can_edit": can_edit,
            "show_contact": organisation.contact_public or can_see_private,
            "members": selectors.organisation_members(organisation=organisation)
            if can_see_private
            else None,
            "membership": selectors.membership_of(user=user, organisation=organisation),
            "join_form": JoinForm(),
            "suggestions": suggestions,
            "asked": introductions.asked_targets(
                user=user, kind="organisation", ids=[s.object_id for s in suggestions]
            ),
            "is_member": can_see_private,
        },
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, request.FILES or None)
    # What other apps ask of an organisation joining the Turbine (the charter's adherence).
    extensions = form_extensions.extend(
        "organisation_create",
        user=request.user,
        data=request.POST if request.method == "POST" else None,
    )
    if request.method == "POST" and all([form.is_valid(), form_extensions.all_valid(extensions)]):
        data = dict(form.cleaned_data)
        logo = data.pop("logo", None)
        data.pop("remove_logo", None)
        try:
            with transaction.atomic():
                organisation = services.organisation_create(user=request.user, **data)
                if logo is not None:
                    services.organisation_set_logo(
                        user=request.user, organisation=organisation, upload=logo
                    )
                form_extensions.save(extensions, user=request.user, obj=organisation)
        except form_extensions.ExtensionRefused:
            pass  # shown on the extension's own form
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, "La fiche de l'organisation est créée.")
            warning = services.organisation_locate(user=request.user, organisation=organisation)
            if warning:
                messages.warning(request, warning)
            return redirect(organisation.get_absolute_url())
    return render(
        request,
        "directory/organisation_form.html",
        {"form": form, "extensions": extensions, "organisation": None, **map_settings()},
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.get_organisation_for_edit(user=request.user, organisation_id=pk)
    form = OrganisationForm(
        request.POST or None,
        request.FILES or None,
        initial=OrganisationForm.initial_from(organisation),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        logo = data.pop("logo", None)
        remove_logo = data.pop("remove_logo", False)
        try:
            with transaction.atomic():
                updated = services.organisation_update(
                    user=request.user, organisation=organisation, **data
                )
                if logo is not None or (remove_logo and organisation.logo):
                    updated = services.organisation_set_logo(
                        user=request.user, organisation=updated, upload=logo
                    )
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, "La fiche est enregistrée.")
            warning = services.organisation_locate(user=request.user, organisation=updated)
            if warning:
                messages.warning(request, warning)
            return redirect(organisation.get_absolute_url())
    return render(
        request,
        "directory/organisation_form.html",
        {"form": form, "organisation": organisation, **map_settings()},
    )


@login_required
@require_POST
def organisation_join(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.get_organisation(user=request.user, organisation_id=pk)
    form = JoinForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.membership_request(user=request.user, organisation=organisation, message=message)
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Votre demande est envoyée : les administrateurs de l'organisation y répondront.",
        )
    return redirect(organisation.get_absolute_url())


@login_required
def organisation_members(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.get_organisation_for_edit(user=request.user, organisation_id=pk)
    return render(
        request,
        "directory/organisation_members.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation=organisation),
            "pending": selectors.organisation_pending_requests(organisation=organisation),
        },
    )


@login_required
@require_POST
def membership_decide(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    decision = request.POST.get("decision")
    try:
        if decision in ("accept", "refuse"):
            services.membership_decide(
                user=request.user, membership_id=membership_id, accept=decision == "accept"
            )
            messages.success(
                request, "Demande acceptée." if decision == "accept" else "Demande refusée."
            )
        elif decision in ("admin", "member"):
            services.membership_set_role(
                user=request.user, membership_id=membership_id, role=decision
            )
            messages.success(request, "Le rôle est modifié.")
        else:
            messages.error(request, "Décision inconnue.")
    except TurbineError as error:
        messages.error(request, error.message)
    return redirect("directory:organisation_members", pk=pk)


def people_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, fields=PEOPLE_FILTERS)
    filters = form.filters()
    shown = paginate(selectors.people_list(filters=filters), form.page_number())
    return render(
        request,
        "directory/people_list.html",
        {"form": form, **shown.context("people")},
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person(person_id=pk)
    organisations = selectors.person_organisations(person=person)
    suggestions = matching.suggest_organisations(
        profile=matching.person_profile(person), exclude_ids=[o.pk for o in organisations]
    )
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "profile": getattr(person, "directory_profile", None),
            "organisations": organisations,
            "suggestions": suggestions,
            "asked": introductions.asked_targets(
                user=request.user, kind="organisation", ids=[s.object_id for s in suggestions]
            ),
            "can_meet": request.user.is_authenticated and request.user.pk != person.pk,
        },
    )


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_of(request.user)
    initial = {}
    if profile is not None:
        initial = {
            "know_how": profile.know_how,
            "can_help_with": profile.can_help_with,
            "themes": list(profile.themes.all()),
            "networks": list(profile.networks.all()),
        }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, **form.cleaned_data)
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, "Votre profil d'annuaire est enregistré.")
            return redirect("directory:my_profile")
    return render(
        request,
        "directory/my_profile.html",
        {
            "form": form,
            "organisations": list(selectors.organisations_of_user(user=request.user)),
        },
    )


def network_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, fields=("q",))
    shown = paginate(selectors.network_list(q=form.filters().q), form.page_number())
    return render(
        request,
        "directory/network_list.html",
        {"form": form, **shown.context("networks")},
    )


def network_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = selectors.get_network(slug=slug)
    organisations = list(
        selectors.with_list_relations(
            selectors.public_organisations().filter(networks=network)
        ).order_by("name", "id")[:200]
    )
    people = list(selectors.network_people(network=network)[:200])
    return render(
        request,
        "directory/network_detail.html",
        {
            "network": network,
            "organisations": organisations,
            "badges": badges.collect("organisation", [o.pk for o in organisations]),
            "people": people,
        },
    )
