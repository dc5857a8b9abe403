"""Production settings, checked in a separate process (settings load once per process)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "TURBINE_ENV": "production",
    "SECRET_KEY": "k7$Zp!w2@rQ9#vX4^mL8&nB3*cT6(yH1)eJ5-uF0+gD7=sA2_oK9~iW4",
    "ALLOWED_HOSTS": "turbine.example.org",
    "DATABASE_URL": "postgres://turbine@127.0.0.1:5432/turbine",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Browser tests of the same worker set DJANGO_ALLOW_ASYNC_UNSAFE, which --deploy refuses.
    dropped = {*PRODUCTION_ENV, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_the_deployment_checks_without_warning_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_it_refuses_to_start_in_production_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_it_refuses_a_malformed_boolean():
    result = manage("check", env={"DEBUG": "peut-être"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_it_collects_the_static_files_with_the_manifest_storage_of_production(tmp_path):
    # The manifest storage follows every url() and sourceMappingURL of the CSS and JS files:
    # a reference to a file that is not shipped stops collectstatic, and production with it.
    env = {**PRODUCTION_ENV, "TURBINE_VAR_DIR": str(tmp_path)}
    result = manage("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
