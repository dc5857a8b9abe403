"""Using Turbine with the keyboard only."""

from __future__ import annotations

import re

import pytest
from django.core.mail import EmailMessage
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_check, goto
from turbine.accounts.models import User

pytestmark = pytest.mark.browser


def tab_to(page: Page, selector: str, *, limit: int = 40) -> int:
    """Press Tab until the element is focused; return how many presses it took."""
    target = page.locator(selector)
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{selector} not reached in {limit} presses of Tab")


def focus_is_visible(page: Page) -> bool:
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return element.matches(':focus-visible') && style.outlineStyle !== 'none'
                && parseFloat(style.outlineWidth) >= 2;
        }"""
    )


def test_it_skips_to_the_content_first(page: Page) -> None:
    goto(page, "/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    # Hidden until focused, then on screen.
    box = skip_link.bounding_box()
    assert box is not None and box["y"] >= 0 and box["x"] >= 0
    assert focus_is_visible(page)

    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
    expect(page).to_have_url(re.compile(r"#contenu$"))
    axe_check(page)
    # The next Tab continues inside the content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    assert focus_is_visible(page)


def test_it_signs_up_with_the_keyboard_only(page: Page, mailoutbox: list[EmailMessage]) -> None:
    goto(page, "/compte/signup/")
    tab_to(page, "#id_email")
    assert focus_is_visible(page)
    page.keyboard.type("eliott@example.org")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password1")).to_be_focused()
    page.keyboard.type("clavier-seulement-2038")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password2")).to_be_focused()
    page.keyboard.type("clavier-seulement-2038")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Création de compte")).to_be_focused()
    assert focus_is_visible(page)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/compte/confirm-email/$"))
    axe_check(page)
    assert User.objects.filter(email="eliott@example.org").exists()
    assert [m.to for m in mailoutbox] == [["eliott@example.org"]]
