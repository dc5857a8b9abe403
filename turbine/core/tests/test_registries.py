"""The registries upper apps fill for lower apps' pages: badges (core.badges) and form
extensions (core.form_extensions)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from turbine.core import badges, form_extensions
from turbine.core.exceptions import TurbineError


def test_badges_are_collected_by_id_from_every_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(badges, "_providers", {})
    calls: list[list[int]] = []

    def numbers(ids: Any) -> dict[int, list[badges.Badge]]:
        calls.append(list(ids))
        return {i: [badges.Badge(text=f"n°{i}", url=f"/{i}/")] for i in ids if i % 2}

    badges.register("thing", key="odd", badges=numbers)
    badges.register("thing", key="none", badges=lambda ids: {})
    assert badges.collect("thing", []) == {}
    assert calls == []  # nothing asked for nothing
    found = badges.collect("thing", [3, 2, 3, 1])
    assert calls == [[1, 2, 3]]  # once, with each id once
    assert sorted(found) == [1, 3] and found[3][0].as_dict()["url"] == "/3/"
    assert badges.collect("other", [1]) == {}


def test_filters_apply_by_key_and_unknown_keys_are_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(badges, "_providers", {})
    badges.register(
        "thing", key="odd", badges=lambda ids: {}, filter_label="Impairs", filter=lambda qs: "odd"
    )
    badges.register("thing", key="nolabel", badges=lambda ids: {})
    assert [(f.key, f.label) for f in badges.filters("thing")] == [("odd", "Impairs")]
    assert badges.apply_filters("thing", "all", ["odd"]) == "odd"  # type: ignore[arg-type]
    assert badges.apply_filters("thing", "all", ["nope", "nolabel"]) == "all"  # type: ignore[arg-type]


class _Step(forms.Form):
    accepted = forms.BooleanField()


def test_an_extension_adds_its_form_and_its_refusal_lands_on_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(form_extensions, "_extensions", {})
    saved: list[Any] = []

    def save(user: Any, obj: Any, form: forms.Form) -> None:
        if obj == "refused":
            raise TurbineError("Non.", field="accepted")
        saved.append((user, obj, form.cleaned_data["accepted"]))

    form_extensions.register(
        "thing_create",
        form_extensions.Extension(
            key="step",
            form=lambda user, data, prefix, instance: _Step(data, prefix=prefix) if user else None,
            template_name="x.html",
            save=save,
        ),
    )
    assert form_extensions.extend("thing_create", user=None) == []  # nothing to ask
    bound = form_extensions.extend("thing_create", user="alice", data={})
    assert not form_extensions.all_valid(bound)
    bound = form_extensions.extend("thing_create", user="alice", data={"step-accepted": "on"})
    assert form_extensions.all_valid(bound) and bound[0].template_name == "x.html"
    form_extensions.save(bound, user="alice", obj="thing")
    assert saved == [("alice", "thing", True)]
    with pytest.raises(form_extensions.ExtensionRefused):
        form_extensions.save(bound, user="alice", obj="refused")
    assert bound[0].form.errors["accepted"] == ["Non."]


def test_an_extension_saves_its_api_field_and_refuses_unknown_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(form_extensions, "_extensions", {})
    saved: list[Any] = []

    def save_data(user: Any, obj: Any, value: Any) -> None:
        if value == "non":
            raise TurbineError("Refusé.", field="rows")
        saved.append((user, obj, value))

    form_extensions.register(
        "thing_edit",
        form_extensions.Extension(
            key="rows",
            form=lambda user, data, prefix, instance: _Step(data, prefix=prefix),
            template_name="x.html",
            save=lambda user, obj, form: None,
            save_data=save_data,
        ),
    )
    form_extensions.save_data("thing_edit", user="alice", obj="thing", values={"rows": [1]})
    assert saved == [("alice", "thing", [1])]
    with pytest.raises(TurbineError, match="Refusé"):
        form_extensions.save_data("thing_edit", user="alice", obj="thing", values={"rows": "non"})
    with pytest.raises(LookupError):
        form_extensions.save_data("thing_edit", user="alice", obj="thing", values={"other": 1})
