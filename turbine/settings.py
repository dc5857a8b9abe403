"""Turbine's one settings module, configured by the environment.

With no variable set it serves a development site on SQLite (``var/turbine.sqlite3``), sends
emails to the console and runs background tasks in process. ``TURBINE_ENV=production`` turns on
the production defaults and refuses to start without ``SECRET_KEY``, ``ALLOWED_HOSTS`` and
``DATABASE_URL``. The helpers below fail loudly on a malformed value rather than guessing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TURBINE_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when TURBINE_ENV=production")
    return value


TURBINE_ENV = env_str("TURBINE_ENV", "development")
if TURBINE_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"TURBINE_ENV must be development or production, got {TURBINE_ENV!r}"
    )
PRODUCTION = TURBINE_ENV == "production"
TESTING = "pytest" in sys.modules or env_bool("TURBINE_TESTING", False)

if PRODUCTION:
    SECRET_KEY = env_required("SECRET_KEY")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when TURBINE_ENV=production")
    DATABASE_URL = env_required("DATABASE_URL")
    DEBUG = env_bool("DEBUG", False)
else:
    SECRET_KEY = (
        env_str("SECRET_KEY") or "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopq"
    )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
    DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'turbine.sqlite3'}"
    DEBUG = env_bool("DEBUG", not TESTING)

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Turbine's apps come first so that their templates override allauth's.
    "turbine.core",
    "turbine.territory",
    "turbine.accounts",
    "turbine.directory",
    "turbine.projects",
    "turbine.funding",
    "turbine.budget",
    "turbine.guichet",
    "turbine.label",
    "turbine.cooperation",
    "turbine.steering",
    "turbine.showcase",
    "turbine.portal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # JSON refusals of a NUL character, an oversized body or too many parameters on /api/.
    "turbine.core.middleware.ApiInputGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Axes must come last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "turbine.urls"
WSGI_APPLICATION = "turbine.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "turbine.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
try:
    DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL)}
except Exception as exc:  # environ raises several types on a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the development server read while a command writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker, background tasks --------------------------------------------------------
REDIS_URL = env_str("REDIS_URL") or ""
CACHE_URL = env_str("CACHE_URL") or REDIS_URL
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "turbine",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or REDIS_URL
# Without a broker (the embedded default) tasks run in process, at the moment they are sent.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Crontab schedules, read in CELERY_TIMEZONE (Paris): a daily task runs at the same wall-clock
    # time every day, across daylight-saving changes, whenever beat was started.
    "purge-expired-sessions": {
        "task": "turbine.core.tasks.clear_expired_sessions",
        "schedule": crontab(minute=30, hour=3),
    },
    # Expires aids past their deadline, then sends the daily and weekly alert digests.
    "funding-alert-digests": {
        "task": "turbine.funding.tasks.send_alert_digests",
        "schedule": crontab(minute=0, hour=7),
    },
    # Reminders advisors set on support requests ("relancer dans 30 jours").
    "guichet-reminders": {
        "task": "turbine.guichet.tasks.send_due_reminders",
        "schedule": crontab(minute=0, hour=8),
    },
    # Recomputes the guichet's stored results computed before the last catalogue change or more
    # than a day ago (aids expired overnight leave them; a new aid may fit).
    "guichet-refresh-found": {
        "task": "turbine.guichet.tasks.refresh_stale_found",
        "schedule": crontab(minute=30, hour=7),
    },
    # Publishes the participatory-budget results on their date (every hour at :05, so within the
    # hour after midnight, and again after any outage).
    "budget-publish-results": {
        "task": "turbine.budget.tasks.publish_due_results",
        "schedule": crontab(minute=5),
    },
    # Moves pending participatory-budget ballots into the ballot box in shuffled batches, and
    # seals the ballot box of every vote that has closed (then deletes the campaign's key).
    "budget-flush-ballots": {
        "task": "turbine.budget.tasks.flush_and_seal_ballots",
        "schedule": crontab(minute="*/10"),
    },
    # Reminders of meetings (each event chooses how long before); every quarter of an hour, so a
    # "2 hours before" reminder leaves at most 15 minutes late. Idempotent.
    "cooperation-event-reminders": {
        "task": "turbine.cooperation.tasks.send_event_reminders",
        "schedule": crontab(minute="*/15"),
    },
    # Label renewal reminders (90 days before expiry) and expiry notices, each sent once.
    # Study visits: the reminder before a visit and the feedback request after it. Idempotent.
    "showcase-visit-reminders": {
        "task": "turbine.showcase.tasks.send_visit_reminders",
        "schedule": crontab(minute=20),
    },
    # The monthly digest of the places officials and agents follow, on the 1st. Idempotent.
    "portal-place-digests": {
        "task": "turbine.portal.tasks.send_place_digests",
        "schedule": crontab(minute=0, hour=7, day_of_month=1),
    },
    "label-expiry-reminders": {
        "task": "turbine.label.tasks.send_label_expiry_reminders",
        "schedule": crontab(minute=15, hour=8),
    },
    # Does nothing unless AIDES_TERRITOIRES_TOKEN is set.
    "funding-import-aides-territoires": {
        "task": "turbine.funding.tasks.import_aides_territoires",
        "schedule": crontab(minute=0, hour=4, day_of_week="monday"),
    },
}

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
SITE_ID = 1

ACCOUNT_ADAPTER = "turbine.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Turbine] "
# allauth's own throttles keep their defaults (failed logins: 10 a minute per IP, 5 in five
# minutes per address) and see the client's IP as the lockout does (AccountAdapter.get_client_ip).
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = False if TESTING else {}
# How many reverse proxies of ours stand in front of the site: with 1 (the production recipe),
# the client's IP is the last hop of X-Forwarded-For; with 0, the header is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, got {TRUSTED_PROXY_COUNT}")
SOCIALACCOUNT_ADAPTER = "turbine.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True

# OpenID Connect providers (ProConnect, FranceConnect...) by configuration only:
# OIDC_PROVIDERS="proconnect,franceconnect" and, for each,
# OIDC_<ID>_NAME, OIDC_<ID>_URL, OIDC_<ID>_CLIENT_ID, OIDC_<ID>_SECRET.
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {"openid_connect": {"APPS": []}}
for _provider_id in env_list("OIDC_PROVIDERS", []):
    _prefix = f"OIDC_{_provider_id.upper()}_"
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": _provider_id,
            "name": env_str(_prefix + "NAME") or _provider_id,
            "client_id": env_required(_prefix + "CLIENT_ID"),
            "secret": env_required(_prefix + "SECRET"),
            "settings": {"server_url": env_required(_prefix + "URL")},
        }
    )

# Login throttling: five failures for the same address and IP lock it out for fifteen minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# allauth authenticates with `email=` (its form field is `login`): one callable reads either,
# so a lockout names the address and never locks every address of an IP.
AXES_USERNAME_CALLABLE = "turbine.core.clients.login_identifier"
AXES_CLIENT_IP_CALLABLE = "turbine.core.clients.client_ip"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Email ----------------------------------------------------------------------------------
EMAIL_URL = env_str("EMAIL_URL") or ""
if EMAIL_URL:
    try:
        vars().update(environ.Env.email_url_config(EMAIL_URL))
    except Exception as exc:
        raise ImproperlyConfigured(f"EMAIL_URL is not a valid email URL: {exc}") from exc
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Turbine <ne-pas-repondre@turbine.localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "turbine" / "locale"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing

# --- Security -------------------------------------------------------------------------------
# Request bodies (files apart) and parameters: more is a French 413/400 (API: JSON). The reverse
# proxy should cap bodies too (README).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SILENCED_SYSTEM_CHECKS: list[str] = []

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https://*.tile.openstreetmap.org"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    # WeasyPrint tells each step of a PDF at INFO level; only its warnings matter.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Turbine --------------------------------------------------------------------------------
# The territory this site serves: its slug, as created by `manage.py import_territory`.
TURBINE_TERRITORY = env_str("TURBINE_TERRITORY") or "pole-metropolitain-artois"
TURBINE_DEMO_BANNER = env_bool("TURBINE_DEMO_BANNER", not PRODUCTION)
API_PAGE_SIZE_MAX = 100
# Map tiles (the CSP's img-src must allow another server's host) and the default view.
TURBINE_MAP_TILES_URL = (
    env_str("TURBINE_MAP_TILES_URL") or "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"
)
TURBINE_MAP_ATTRIBUTION = (
    env_str("TURBINE_MAP_ATTRIBUTION")
    or '&copy; <a href="https://www.openstreetmap.org/copyright">'
    "les contributeurs OpenStreetMap</a>"
)
TURBINE_MAP_CENTER = (50.45, 2.72)
TURBINE_MAP_ZOOM = env_int("TURBINE_MAP_ZOOM", 10)
# Base Adresse Nationale geocoding; empty: no geocoding (coordinates come from a click on the map).
TURBINE_GEOCODER_URL = env_str("TURBINE_GEOCODER_URL") or ""
TURBINE_GEOCODER_TIMEOUT = env_int("TURBINE_GEOCODER_TIMEOUT", 5)
_tiles_host = urlsplit(TURBINE_MAP_TILES_URL.replace("{s}", "a")).netloc
if _tiles_host and not _tiles_host.endswith("tile.openstreetmap.org"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"https://{_tiles_host}")
# Participatory budget: where each campaign's ballot key lives while its vote is open (outside
# the database; persistent and shared by the web and worker processes, like MEDIA_ROOT), and
# how many pending ballots are moved together, shuffled, into the ballot box.
BUDGET_BALLOT_KEY_DIR = Path(env_str("BUDGET_BALLOT_KEY_DIR") or VAR_DIR / "ballot-keys")
BUDGET_BALLOT_BATCH_SIZE = env_int("BUDGET_BALLOT_BATCH_SIZE", 25)
if BUDGET_BALLOT_BATCH_SIZE < 2:
    raise ImproperlyConfigured(
        f"BUDGET_BALLOT_BATCH_SIZE must be 2 or more, got {BUDGET_BALLOT_BATCH_SIZE}"
    )
# Personal token of the Aides-territoires API (import of aids); empty: no automatic import.
AIDES_TERRITOIRES_TOKEN = env_str("AIDES_TERRITOIRES_TOKEN") or ""

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    MEDIA_ROOT = VAR_DIR / "test-media"
