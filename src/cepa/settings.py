"""One settings module. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from cepa.secretkey import stored_secret_key

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
# Production sets CEPA_SECRET_KEY. Without it, a random key generated once and kept in the data folder
# (owner-only): no key is ever written in the code (cepa.secretkey).
SECRET_KEY = os.environ.get("CEPA_SECRET_KEY") or stored_secret_key(DATA_DIR)
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
    "cepa.accounts.adminsite.AdminConfig",  # Django's admin, behind the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # the API documentation page from the package's own files (no CDN: see the CSP below)
    # Sign-in: lockouts after repeated failures (django-axes), a second factor (django-otp, TOTP).
    "cepa.accounts.adminsite.AxesConfig",  # django-axes, named in three languages
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    # Outermost: the request id, the replica routing of the request, the access log, /healthz.
    "cepa.ops.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cepa.middleware.RefuseNulCharacters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Validators, 304s and Cache-Control for anonymous reads; before the session so a 304 costs little.
    "cepa.httpcache.HttpCaching",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "cepa.api.middleware.JsonMethodNotAllowed",
    # Last, so its process_exception is asked first: a busy database is a 503, never a 500.
    "cepa.web.busy.DatabaseBusyMiddleware",
    # Answers a locked-out sign-in (django-axes wants to be last).
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy on every response (django-csp): scripts, styles, images and fonts from this
# site only; no inline script or style unless it carries the request's nonce (`{{ request.csp_nonce }}`;
# the templates have none); no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Served over HTTPS (CEPA_HTTPS=1, behind a reverse proxy that terminates TLS and sets
# X-Forwarded-Proto): plain HTTP is redirected, cookies are sent over HTTPS only, and browsers are told
# to use HTTPS for a year (HSTS). docs/deploy-security.md lists the production settings.
HTTPS = env_bool("CEPA_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("CEPA_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CEPA_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("CEPA_HSTS_PRELOAD", True)

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
    # Connections are kept as on PostgreSQL (CEPA_CONN_MAX_AGE): opening one per request, with its
    # PRAGMAs, cost more than most pages' queries (see issue 13's HTTP figures).
    # One writer at a time: the others wait up to CEPA_SQLITE_BUSY_SECONDS for the lock (an import may
    # hold it for seconds); a write that still cannot proceed is answered 503 with Retry-After.
    SQLITE_BUSY_SECONDS = env_int("CEPA_SQLITE_BUSY_SECONDS", 20)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            f"PRAGMA journal_mode=WAL; PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}; "
            "PRAGMA synchronous=NORMAL;"
        ),
        "timeout": SQLITE_BUSY_SECONDS,
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
# PostgreSQL: the decisions' prepared queries (cepa.decisions.prepared.one_cursor) run as server-side
# prepared statements, kept per connection (psycopg's LRU of prepared_max): PostgreSQL parsing and planning
# their long joins on every run cost more than running them. Off (CEPA_PG_PREPARE=0) behind a pooler in
# transaction mode that does not carry prepared statements (PgBouncer before 1.22, or without
# max_prepared_statements). Everything else binds on the client, Django's default, either way.
CEPA_PG_PREPARE = env_bool("CEPA_PG_PREPARE", True)
# How long a client that wrote keeps reading from the primary: more than the replicas' usual lag.
CEPA_READ_YOUR_WRITES_SECONDS = env_int("CEPA_READ_YOUR_WRITES_SECONDS", 10)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds what every worker must share: the enquiry form's rate limit and used form tokens, and
# cached fragments. REDIS_URL (redis://host:6379/0) puts it on Redis; without it, a table of the database
# (`cepa migrate` creates it), so several workers or machines share it either way.
REDIS_URL = env_str("REDIS_URL", "")
CACHE_TABLE = "cepa_cache"
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cepa",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Django's default (300 entries, then a third culled) would drop live rate-limit counts.
            "OPTIONS": {"MAX_ENTRIES": env_int("CEPA_CACHE_MAX_ENTRIES", 100_000)},
        }
    }

# Every way an account gets a password (`cepa user create`, `cepa changepassword`, the admin) runs
# Django's four validators; 12 characters at least (NIST SP 800-63B allows 8, with a list of common
# passwords; the officers' accounts hold the regime's decisions, so longer).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("CEPA_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in lockouts (django-axes): after CEPA_SIGNIN_FAILURES wrong passwords for one account, or from
# one address, within the cool-off, that account or address may not sign in until the cool-off has
# passed, even with the right password. Attempts are rows of the database (shared by every worker) and
# shown in the admin (Axes: access attempts), where an administrator may delete one to lift a lockout
# early; `cepa axes_reset_username USERNAME` does the same.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("CEPA_SIGNIN_FAILURES", 5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CEPA_SIGNIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_CALLABLE = "cepa.web.signin.locked_out"
AXES_VERBOSE = False
# The second factor (django-otp): officers and administrators confirm their sign-in with a code from
# an authenticator app (TOTP); `cepa user totp USERNAME` enrols one (cepa.accounts.services).
OTP_TOTP_ISSUER = env_str("CEPA_TOTP_ISSUER", "CEPA Registry")

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

# HTTP caching (cepa.httpcache): how long a reverse proxy or browser may keep a public answer without
# asking again, and a name of the deployed code that is part of every ETag (set it on each deploy).
CEPA_HTTP_MAX_AGE = env_int("CEPA_HTTP_MAX_AGE", 60)
CEPA_RELEASE = env_str("CEPA_RELEASE", "")
# Public pages kept in the shared cache under their ETag (the registry's version is part of it), for this
# long; 0 keeps none. Answers larger than CEPA_PAGE_CACHE_MAX_BYTES are never kept.
CEPA_PAGE_CACHE_SECONDS = env_int("CEPA_PAGE_CACHE_SECONDS", 600)
CEPA_PAGE_CACHE_MAX_BYTES = env_int("CEPA_PAGE_CACHE_MAX_BYTES", 512 * 1024)
# Each process reads the registry's version (the validators' source) at most once per this many seconds;
# its own writes forget it at once, other processes' writes show within the period. 0 reads it per request.
CEPA_VERSION_MEMO_SECONDS = env_int("CEPA_VERSION_MEMO_SECONDS", 1)

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
