"""The funding rows of a project, added to the projects app's edit page and API.

The projects app knows nothing of funding (funding depends on it), so its edit page and its
``POST``/``PATCH /api/v1/projects`` hand the rows to this extension of ``"project_edit"``
(``core.form_extensions``), saved in the project's transaction: a refused row rolls the whole
project save back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from turbine.core import form_extensions
from turbine.funding.forms import ProjectFundingsForm, aid_reference
from turbine.funding.services.project_fundings import project_set_fundings
from turbine.projects.models import Project

KEY = "fundings"


def _initial_rows(project: Project | None) -> list[dict[str, Any]]:
    if project is None:
        return []
    return [
        {"source": f.source, "aid": aid_reference(f.aid), "kind": f.kind, "amount": f.amount}
        for f in project.fundings.all()
    ]


def fundings_form(
    user: Any, data: Mapping[str, Any] | None, prefix: str, instance: Any = None
) -> forms.Form:
    return ProjectFundingsForm(data, prefix=prefix, initial_rows=_initial_rows(instance))


def fundings_save(user: Any, project: Project, form: forms.Form) -> None:
    assert isinstance(form, ProjectFundingsForm)
    project_set_fundings(user=user, project=project, fundings=form.rows())


def fundings_save_data(user: Any, project: Project, value: Any) -> None:
    """``fundings`` of the projects API: a list of ``{"source", "aid", "kind", "amount"}``
    (the API's schema has already checked their types)."""
    project_set_fundings(user=user, project=project, fundings=list(value or []))


def register() -> None:
    form_extensions.register(
        "project_edit",
        form_extensions.Extension(
            key=KEY,
            form=fundings_form,
            template_name="funding/_project_fundings.html",
            save=fundings_save,
            save_data=fundings_save_data,
        ),
    )
