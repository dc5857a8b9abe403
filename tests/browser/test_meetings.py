"""Meetings in a real browser: register, waiting list, cancel and automatic promotion,
registration by email without an account, attendance by code; debates and groups pages; 320 px;
screenshots of the main pages with the demo data at 1280 and 375 px."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import SCREENSHOT_DIR, axe_check, goto, log_in
from tests.browser.test_small_screen import WIDTH, assert_no_horizontal_scroll
from turbine.accounts.models import User
from turbine.accounts.tests.factories import UserFactory
from turbine.cooperation.models import Registration
from turbine.cooperation.services import meetings as services
from turbine.cooperation.tests.factories_meetings import EventFactory

pytestmark = pytest.mark.browser


def test_it_registers_puts_on_the_waiting_list_and_promotes_on_cancellation(
    page: Page,
    open_page: Callable[..., Page],
    live_server: LiveServer,
    alice: User,
    chloe: User,
) -> None:
    event = EventFactory(
        title="Atelier compost",
        capacity=1,
        modality="hybride",
        online_url="https://visio.example/c",
    )
    log_in(page, live_server, alice)
    goto(page, "/rencontres/")
    page.get_by_role("link", name="Atelier compost").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier compost")
    expect(page.locator("main")).not_to_contain_text("visio.example/c")
    axe_check(page)
    page.get_by_label("Votre tranche d'âge").select_option(label="30 à 44 ans")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.locator(".messages")).to_contain_text("Vous êtes inscrit·e")
    expect(page.locator(".my-registration")).to_contain_text("Votre place est confirmée")
    expect(page.locator(".qr svg")).to_be_visible()
    expect(page.locator("main")).to_contain_text("visio.example/c")
    axe_check(page)

    other = open_page()
    log_in(other, live_server, chloe)
    goto(other, event.get_absolute_url())
    expect(other.locator("main")).to_contain_text("Complet")
    other.get_by_role("button", name="M'inscrire sur la liste d'attente").click()
    expect(other.locator(".my-registration")).to_contain_text("en position 1")
    axe_check(other)

    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.locator(".messages")).to_contain_text("Votre inscription est annulée")
    axe_check(page)
    goto(other, event.get_absolute_url())
    expect(other.locator(".my-registration")).to_contain_text("Votre place est confirmée")
    assert Registration.objects.get(user=chloe).status == "inscrit"


def test_someone_without_an_account_registers_by_email_and_confirms(
    page: Page, live_server: LiveServer
) -> None:
    event = EventFactory(title="Visite de la ferme")
    goto(page, event.get_absolute_url())
    page.get_by_label("Votre nom ou prénom").fill("Dora")
    page.get_by_label("Votre adresse électronique").fill("dora@example.org")
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    axe_check(page)
    link = next(w for w in mail.outbox[-1].body.split() if "/rencontres/inscription/" in w)
    goto(page, link[link.index("/rencontres/") :])
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.locator(".my-registration")).to_contain_text("Votre place est confirmée")
    axe_check(page)


def test_an_organiser_marks_attendance_by_code(
    page: Page, live_server: LiveServer, bruno: User
) -> None:
    event = EventFactory(title="Forum", created_by=bruno)
    registration = services.registration_create(
        event_id=event.pk, user=UserFactory(display_name="Émile")
    )
    log_in(page, live_server, bruno)
    goto(page, event.get_absolute_url())
    page.get_by_role("link", name="Noter les présences (code ou QR code)").click()
    axe_check(page)
    page.get_by_label("Code d'inscription").fill("zzzz-zzzz")
    page.get_by_role("button", name="Noter la présence").click()
    expect(page.locator(".form-errors")).to_be_visible()
    axe_check(page)
    page.get_by_label("Code d'inscription").fill(services.format_code(registration.code).lower())
    page.get_by_role("button", name="Noter la présence").click()
    expect(page.get_by_role("alert")).to_contain_text("Émile")
    expect(page.locator(".figures")).to_contain_text("1 présents notés sur 1 inscrits")
    axe_check(page)
    # The scanned QR code opens the page with the code filled in.
    goto(page, f"/rencontres/{event.pk}/presences/?code={registration.code}")
    page.get_by_role("button", name="Noter la présence").click()
    expect(page.get_by_role("alert")).to_contain_text("déjà noté")


def test_meetings_debates_and_groups_fit_a_320px_screen(
    open_page: Callable[..., Page], live_server: LiveServer, alice: User
) -> None:
    from turbine.cooperation.tests.factories_debates import ArgumentFactory, DebateFactory

    event = EventFactory(
        title="Un atelier au titre assez long pour passer à la ligne sur un petit écran",
        modality="hybride",
        online_url="https://visio.example/un-lien-de-connexion-particulierement-long-a-couper",
    )
    services.registration_create(event_id=event.pk, user=alice)
    debate = DebateFactory()
    ArgumentFactory(debate=debate, side="pour")
    page = open_page(viewport={"width": WIDTH, "height": 640})
    log_in(page, live_server, alice)
    for path in [
        "/rencontres/",
        event.get_absolute_url(),
        "/debats/",
        debate.get_absolute_url(),
        "/groupes/",
        "/savoir-faire/",
    ]:
        goto(page, path)
        assert_no_horizontal_scroll(page)


def test_screenshots_of_the_main_pages_with_the_demo_data(
    open_page: Callable[..., Page], live_server: LiveServer
) -> None:
    from turbine.accounts.demo import load_people
    from turbine.cooperation.demo_debates import load_debates
    from turbine.cooperation.demo_groups import load_groups
    from turbine.cooperation.demo_meetings import load_meetings
    from turbine.cooperation.models import Debate, Event, WorkingGroup
    from turbine.directory.demo import load_directory

    load_people()
    load_directory()
    load_meetings()
    load_debates()
    load_groups()
    bruno = User.objects.get(email="bruno.demo@turbine.localhost")
    upcoming = Event.objects.filter(
        start__gt=timezone.now() + timedelta(hours=1), capacity=12
    ).first()
    debate = Debate.objects.exclude(agreements="").first()
    group = WorkingGroup.objects.filter(network_count__gte=2).first()
    pages = {
        "list": "/rencontres/",
        "detail": upcoming.get_absolute_url(),
        "diversity": "/rencontres/diversite/",
        "debates": "/debats/",
        "debate": debate.get_absolute_url(),
        "groups": "/groupes/",
        "group": group.get_absolute_url(),
    }
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page = open_page(viewport={"width": width, "height": 900})
        log_in(page, live_server, bruno)
        for name, path in pages.items():
            goto(page, path)
            page.screenshot(path=SCREENSHOT_DIR / f"meetings-{name}-{width}.png", full_page=True)
