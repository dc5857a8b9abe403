from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from turbine.accounts import personal_data, services
from turbine.accounts.forms import ApiTokenForm, DeleteAccountForm, ProfileForm
from turbine.core.exceptions import TurbineError
from turbine.core.web import form_error


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=user, **form.cleaned_data)
        except TurbineError as error:
            form_error(form, error)
        else:
            messages.success(request, "Votre profil est enregistré.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


def personal_data_page(request: HttpRequest) -> HttpResponse:
    """What Turbine holds, what deletion removes and what it anonymises; open to everyone."""
    return render(request, "accounts/personal_data.html", {"sections": personal_data.sections()})


@login_required
def personal_data_export(request: HttpRequest) -> HttpResponse:
    data = services.user_export_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    filename = f"turbine-mes-donnees-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.user_delete(user=user)
        messages.success(request, "Votre compte et vos données personnelles sont supprimés.")
        return redirect("portal:home")
    return render(
        request,
        "accounts/delete.html",
        {"form": form, "sections": personal_data.sections()},
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_secret = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except TurbineError as error:
            form_error(form, error)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": list(request.user.api_tokens.all()), "new_secret": new_secret},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.api_token_revoke(user=request.user, token_id=token_id)
    except TurbineError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("accounts:tokens")
