"""Turbine's words are French at the source; its catalogue keeps Django's own from leaking in."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"


def _string(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def catalogue_entries() -> list[tuple[str, str, list[str]]]:
    """(msgid, msgid_plural, msgstrs) for every entry but the header."""
    entries = []
    for block in CATALOGUE.read_text().split("\n\n"):
        fields: dict[str, list[str]] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r"^(msgid|msgid_plural|msgstr(?:\[\d\])?) (\".*\")$", line)
            if match:
                key = match.group(1)
                fields[key] = [match.group(2)]
            elif line.startswith('"') and key:
                fields[key].append(line)
        msgid = _string(fields.get("msgid", []))
        if msgid:
            plural = _string(fields.get("msgid_plural", []))
            strs = [_string(v) for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries.append((msgid, plural, strs))
    return entries


def test_it_renders_turbine_s_own_words_not_django_s() -> None:
    with translation.override("fr"):
        assert translation.gettext("Usage") == "Usage"
        assert translation.gettext("active") == "active"


def test_it_serves_every_catalogue_entry_from_the_compiled_catalogue() -> None:
    entries = catalogue_entries()
    assert len(entries) > 1000
    with translation.override("fr"):
        for msgid, plural, strs in entries:
            if plural:
                assert translation.ngettext(msgid, plural, 1) == strs[0], msgid
                assert translation.ngettext(msgid, plural, 2) == strs[1], msgid
            else:
                # A stale .mo (`make messages` not run after editing the .po) fails here.
                assert translation.gettext(msgid) == strs[0], msgid
                assert strs[0] == msgid, f"the source is French: {msgid!r}"
