"""One settings module. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"{name} must be a boolean (true/false), got {raw!r}")


def env_list(name: str) -> list[str]:
    """A comma-separated list; empty items are left out."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from error


DATA_DIR = Path(env_str("CEPA_DATA_DIR", str(PROJECT_DIR / "data")))

DEBUG = env_bool("CEPA_DEBUG", False)
# A development key: production sets CEPA_SECRET_KEY.
SECRET_KEY = env_str("CEPA_SECRET_KEY", "cepa-development-key-not-for-production")
ALLOWED_HOSTS = [h for h in env_str("CEPA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "cepa.ops",
    "cepa.history",
    "cepa.catalogue",
    "cepa.bodies",
    "cepa.personnel",
    "cepa.designation",
    "cepa.accounts",
    "cepa.decisions",
    "cepa.interchange",
    "cepa.demo",
    "cepa.enquiries",
    "cepa.filings",
    "cepa.reminders",
    "cepa.certificates",
    "cepa.api",
    "cepa.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost: the request id, the replica routing of the request, the access log, /healthz.
    "cepa.ops.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cepa.api.middleware.JsonMethodNotAllowed",
]

ROOT_URLCONF = "cepa.urls"
WSGI_APPLICATION = "cepa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

SQLITE_PATH = DATA_DIR / "cepa.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=env_int("CEPA_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite cannot create the folder it lives in.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

# Read replicas: DATABASE_REPLICA_URLS, comma-separated URLs of streaming replicas of the primary
# (DATABASE_URL), become the aliases replica1, replica2, ...; cepa.ops.routers sends reads that may be
# a few seconds old to them. Unset: one database, no router, nothing changes.
CEPA_READ_REPLICAS: list[str] = []
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _replica = dj_database_url.parse(_url, conn_max_age=env_int("CEPA_CONN_MAX_AGE", 60))
    if _replica["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ValueError(f"DATABASE_REPLICA_URLS: replica {_index} is not on the primary's engine")
    if "postgresql" in _replica["ENGINE"]:
        # A replica that is down is noticed in seconds (cepa.ops.middleware then reads the primary).
        _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # Under the test runner a replica alias reads the primary's test database (Django's TEST MIRROR):
    # on a streaming replica the test database arrives by replication.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_index}"] = _replica
    CEPA_READ_REPLICAS.append(f"replica{_index}")
DATABASE_ROUTERS = ["cepa.ops.routers.ReplicaRouter"] if CEPA_READ_REPLICAS else []
# How long a client that wrote keeps reading from the primary: more than the replicas' usual lag.
CEPA_READ_YOUR_WRITES_SECONDS = env_int("CEPA_READ_YOUR_WRITES_SECONDS", 10)
# The test suite (pytest): without configured replicas, a "replica" alias mirroring the test database,
# so the router's tests run on every engine. It is used only by tests that switch the router on.
if "pytest" in sys.modules and not CEPA_READ_REPLICAS:
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("zh-hant", "繁體中文"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# Deadlines of the regime are in Beijing / Hong Kong time (UTC+8, no daylight saving since 1991).
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("CEPA_STATIC_ROOT", str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing folder
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

EMAIL_BACKEND = env_str("CEPA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("CEPA_FROM_EMAIL", "registry@cepa.example")
# SMTP (CEPA_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend), used by `cepa send-reminders`.
EMAIL_HOST = env_str("CEPA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("CEPA_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("CEPA_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("CEPA_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CEPA_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("CEPA_EMAIL_USE_SSL", False)
# A server that hangs must not hold the sweep; generous, since a timeout after DATA counts as not sent.
EMAIL_TIMEOUT = env_int("CEPA_EMAIL_TIMEOUT", 60)

# Inspector register rules (CCAA-107 and the CCAA notice; the 3-year term is unconfirmed for CCC).
CEPA_RENEWAL_WINDOW_MONTHS = env_int("CEPA_RENEWAL_WINDOW_MONTHS", 3)
CEPA_RENEWAL_MAX_AGE = env_int("CEPA_RENEWAL_MAX_AGE", 65)
CEPA_REGISTRATION_TERM_YEARS = env_int("CEPA_REGISTRATION_TERM_YEARS", 3)
CEPA_EXPIRY_REMINDER_MONTHS = env_int("CEPA_EXPIRY_REMINDER_MONTHS", 3)
# Supporting documents of designation applications (PDF only).
CEPA_MAX_DOCUMENT_BYTES = env_int("CEPA_MAX_DOCUMENT_BYTES", 10 * 1024 * 1024)

LOGIN_URL = "/accounts/login/"
# Logs: JSON lines on standard error (CEPA_LOG_FORMAT=text for plain lines), each with the request id;
# the access log (logger cepa.request) writes one line per request at INFO (CEPA_ACCESS_LOG=false: off).
LOG_FORMAT = env_str("CEPA_LOG_FORMAT", "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ValueError(f"CEPA_LOG_FORMAT must be json or text, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "cepa.ops.logs.JsonLinesFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env_str("CEPA_LOG_LEVEL", "WARNING")},
    "loggers": {
        "cepa.request": {"level": "INFO" if env_bool("CEPA_ACCESS_LOG", True) else "WARNING"},
    },
}
