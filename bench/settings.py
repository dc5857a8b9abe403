"""Settings of the benchmark: Turbine's own, served like production, on a throwaway SQLite file.

``bench/run.py`` points ``DJANGO_SETTINGS_MODULE`` here, for its own process and for gunicorn.
Only what the measurement needs differs from ``turbine.settings``: the URLconf adds the bare view
(``bench.urls``), DEBUG is off, and the database, cache and broker are fixed so that results do
not depend on the environment the benchmark happens to run in.
"""

from __future__ import annotations

from turbine.settings import *  # noqa: F403
from turbine.settings import VAR_DIR

BENCH_DIR = VAR_DIR / "bench"
BENCH_DIR.mkdir(parents=True, exist_ok=True)

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BENCH_DIR / "bench.sqlite3"),
        # The same options as turbine.settings gives an SQLite database.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        },
    }
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHE_URL = ""
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True

# Request logging would measure the terminal; errors still reach stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
