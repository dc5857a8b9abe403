"""The Content-Security-Policy holds: no page, htmx included, needs what it forbids."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import (
    NOT_AXE_CHECKED,
    axe_check,
    goto,
    log_in,
    take_console_messages,
)
from turbine.accounts.models import User

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/recherche/?q=bethune",
    "/territoire/",
    "/territoire/communes/62119/",
    "/compte/signup/",
    "/compte/login/",
    "/api/v1/docs",
    "/api/",
    "/acteurs/",
    "/projets/",
    "/carte/",
    "/aides/",
    "/budget-participatif/",
]
ACCOUNT_PAGES = ["/compte/profil/", "/compte/jetons/", "/compte/donnees/", "/compte/supprimer/"]


def csp_violations(page: Page) -> list[str]:
    return [
        message.text
        for message in take_console_messages(page)
        if "content security policy" in message.text.lower()
    ]


def test_it_violates_no_content_security_policy(
    page: Page, live_server: LiveServer, alice: User
) -> None:
    response = page.goto("/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]

    for path in PAGES:
        if path in NOT_AXE_CHECKED:
            page.goto(path)
            expect(page.locator(".swagger-ui .info .title")).to_be_visible()
            continue
        goto(page, path)
    # htmx: search as you type, then filter by type.
    goto(page, "/recherche/")
    page.get_by_label("Mots recherchés").fill("liévin")
    expect(page.locator("#titre-resultats")).to_contain_text("pour « liévin »")
    axe_check(page)
    page.get_by_role("radio", name="Agglomérations").check()
    expect(page.locator("#titre-resultats")).to_have_text("1 résultat pour « liévin »")
    axe_check(page)

    log_in(page, live_server, alice)
    for path in ACCOUNT_PAGES:
        goto(page, path)
    assert csp_violations(page) == []

    # Control: a violation does reach the console, so the empty list above means something.
    with page.expect_console_message(
        lambda message: "content security policy" in message.text.lower()
    ) as control:
        page.evaluate(
            """() => document.body.insertAdjacentHTML(
                'beforeend', '<img alt="" src="https://tuiles.example.invalid/0.png">')"""
        )
    assert "img-src" in control.value.text
    take_console_messages(page)
