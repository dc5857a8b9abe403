"""requirements.lock pins every dependency that pyproject.toml names, at the same version
(`make lock` rewrites it after a change)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _name(requirement: str) -> str:
    return re.split(r"[\[=<>~! ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _locked(file: str) -> dict[str, str]:
    locked = {}
    for line in (ROOT / file).read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, version = line.split("==")
            locked[_name(name)] = version.strip()
    return locked


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.mark.parametrize(
    ("file", "wanted"),
    [
        ("requirements.lock", PROJECT["dependencies"]),
        (
            "requirements-dev.lock",
            PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"],
        ),
    ],
)
def test_the_locks_pin_every_direct_dependency_at_its_version(file, wanted):
    locked = _locked(file)
    for requirement in wanted:
        name = _name(requirement)
        version = requirement.split("==")[1].split(";")[0].strip()
        assert locked.get(name) == version, f"{name}: pyproject {version}, lock {locked.get(name)}"
    assert len(locked) > len(wanted)  # the transitive dependencies are pinned too


def test_production_and_development_agree_on_every_shared_package():
    production, development = _locked("requirements.lock"), _locked("requirements-dev.lock")
    assert {name: development.get(name) for name in production} == production
