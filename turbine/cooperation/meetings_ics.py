"""Events as iCalendar (RFC 5545), with the ``icalendar`` library; and "add to my calendar"
links for the common web calendars."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

import icalendar
from django.conf import settings

from turbine.cooperation.models import Event

PRODID = "-//Turbine de l'eco-transition//Rencontres//FR"


def _uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "turbine"
    return f"rencontre-{event.pk}@{host}"


def event_url(event: Event) -> str:
    return f"{settings.SITE_URL}{event.get_absolute_url()}"


def _location(event: Event) -> str:
    parts = [event.address] if event.address else []
    if event.commune_id:
        parts.append(event.commune.name)
    return ", ".join(parts)


def _description(event: Event, *, with_online_link: bool) -> str:
    lines = [event.description.strip(), "", f"Page de la rencontre : {event_url(event)}"]
    if event.is_online and event.online_url and with_online_link:
        lines.append(f"Lien de connexion : {event.online_url}")
    elif event.is_online:
        lines.append("Le lien de connexion est donné aux personnes inscrites.")
    return "\n".join(lines)


def _vevent(event: Event, *, with_online_link: bool, stamp: datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", _uid(event))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.start.astimezone(UTC))
    vevent.add("dtend", event.end.astimezone(UTC))
    vevent.add("summary", event.title)
    vevent.add("description", _description(event, with_online_link=with_online_link))
    vevent.add("url", event_url(event))
    location = _location(event)
    if location:
        vevent.add("location", location)
    elif event.is_online:
        vevent.add("location", "En ligne")
    vevent.add("categories", [event.get_format_display()])
    vevent.add("last-modified", event.updated_at.astimezone(UTC))
    return vevent


def calendar_bytes(events: Iterable[Event], *, name: str, with_online_link: bool = False) -> bytes:
    """One VCALENDAR holding ``events`` (commune loaded). The online link is written only when
    ``with_online_link`` (the reader is registered)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = datetime.now(UTC).replace(microsecond=0)
    for event in events:
        calendar.add_component(_vevent(event, with_online_link=with_online_link, stamp=stamp))
    return calendar.to_ical()


def add_to_calendar_links(event: Event) -> list[tuple[str, str]]:
    """(label, address) of the web calendars that take an event in their address."""
    fmt = "%Y%m%dT%H%M%SZ"
    start = event.start.astimezone(UTC).strftime(fmt)
    end = event.end.astimezone(UTC).strftime(fmt)
    details = f"{event_url(event)}"
    location = _location(event) or "En ligne"
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": f"{start}/{end}",
            "details": details,
            "location": location,
        }
    )
    outlook = "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(
        {
            "subject": event.title,
            "startdt": event.start.astimezone(UTC).isoformat(),
            "enddt": event.end.astimezone(UTC).isoformat(),
            "body": details,
            "location": location,
            "path": "/calendar/action/compose",
            "rru": "addevent",
        }
    )
    return [("Google Agenda", google), ("Outlook.com", outlook)]
