"""Deadlines as iCalendar (RFC 5545), written by hand: one all-day event per deadline."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from turbine.funding.models import Aid

PRODID = "-//Turbine de l'eco-transition//Echeances des aides//FR"


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued by CRLF and a space (§3.1), never splitting a
    UTF-8 character."""
    out: list[str] = []
    current, size = "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def deadlines_calendar(aids: Iterable[Aid], *, site_url: str, now: datetime.datetime) -> str:
    stamp = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    host = site_url.split("://", 1)[-1].split("/", 1)[0] or "turbine"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Échéances des aides – Turbine",
    ]
    for aid in aids:
        if aid.deadline is None:
            continue
        url = site_url + aid.get_absolute_url()
        funders = ", ".join(f.name for f in aid.funders.all())
        description = aid.short_description + (f"\n{funders}" if funders else "") + f"\n{url}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:aide-{aid.pk}-date-limite@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{aid.deadline:%Y%m%d}",
            f"DTEND;VALUE=DATE:{aid.deadline + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape('Date limite : ' + aid.title)}",
            f"DESCRIPTION:{escape(description.strip())}",
            f"URL:{url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
