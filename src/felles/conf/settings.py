"""Felles settings: one environment-driven module. Every variable is documented in
docs/configuration.md; keep the two in step."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[3]  # the repository / install root
SRC_DIR = Path(__file__).resolve().parents[1]


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("FELLES_DEBUG", False)
# The demo (`felles demo`) runs on plain http://127.0.0.1:8000 with a development key, but
# otherwise as in production: no debug pages, Felles's own error pages, hashed static files.
DEMO = env_bool("FELLES_DEMO", False)
DATA_DIR = Path(os.environ.get("FELLES_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("FELLES_SECRET_KEY", "")
if not SECRET_KEY and (DEBUG or DEMO):
    SECRET_KEY = "felles-development-only-key-never-use-in-production"  # noqa: S105
# Without debug and without a key, commands that need no key (makemigrations,
# export_openapi_schema) still run; anything that serves or signs refuses to start, with
# the message in felles.cli / conf/wsgi.py.

ALLOWED_HOSTS = env_list("FELLES_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("FELLES_CSRF_TRUSTED_ORIGINS")
BASE_URL = os.environ.get("FELLES_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "csp",
    "axes",
    "felles.core",
    "felles.organisations",
    "felles.catalog",
    "felles.orders",
    "felles.agreements",
    "felles.invoicing",
    "felles.sla",
    "felles.bundles",
    "felles.tasks",
    "felles.costing",
    "felles.governance",
    "felles.portfolio",
    "felles.security",
    "felles.preparedness",
    "felles.foi",
    "felles.records",
    "felles.guidelines",
    "felles.notices",
    "felles.rooms",
    "felles.hr",
    "felles.signin",
    "felles.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Errors under /api/ are JSON whatever produced them (outside everything but the headers).
    "felles.core.middleware.ApiErrorsAsJsonMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "felles.core.middleware.RequestIdMiddleware",
    # Cookies with NUL or control characters are dropped before anything reads them.
    "felles.core.middleware.CookieGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "felles.core.locale.LanguageMiddleware",
    # NUL in the path or parameters is refused; DataError answers 422 (after the language,
    # so the page is in the user's language).
    "felles.core.middleware.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "felles.core.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # After a provider sign-in: renews it with the provider when the ID token is due, and
    # lets the logout form reach the provider (CSP form-action). After CSPMiddleware.
    "felles.signin.middleware.SigninRefreshMiddleware",
]

ROOT_URLCONF = "felles.conf.urls"
CSRF_FAILURE_VIEW = "felles.web.views.csrf_failure"
WSGI_APPLICATION = "felles.conf.wsgi.application"

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
                "felles.web.context.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
# SQLite by default: WAL for concurrent readers, a busy timeout instead of "database is
# locked" errors, and IMMEDIATE transactions so writers queue at BEGIN rather than failing
# on lock upgrade in the middle of a transaction.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend with the join type comparison remembered (core/postgresql).
        DATABASES["default"]["ENGINE"] = "felles.core.postgresql"
        # Server-side parameters let psycopg prepare the statements a connection repeats
        # (after FELLES_PG_PREPARE_THRESHOLD runs), so PostgreSQL plans each once per
        # connection: planning was most of the database's work in an order submission.
        # "off" keeps Django's default client-side binding, planning every statement anew
        # (e.g. behind a PgBouncer older than 1.21 in transaction mode).
        _prepare = os.environ.get("FELLES_PG_PREPARE_THRESHOLD", "5")
        if _prepare != "off":
            DATABASES["default"].setdefault("OPTIONS", {}).update(
                server_side_binding=True, prepare_threshold=int(_prepare)
            )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("FELLES_SQLITE_PATH", str(DATA_DIR / "felles.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------
# Sign-in with username and password (the demo; an administrator's fallback). Off in
# production once the identity provider is configured: the form disappears and posts are
# refused, and sessions from a password sign-in end.
FELLES_PASSWORD_LOGIN = env_bool("FELLES_PASSWORD_LOGIN", True)
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses logins while an account/IP is locked out.
    "axes.backends.AxesStandaloneBackend",
    *(
        env_list("FELLES_AUTH_BACKENDS", "felles.organisations.backends.ModelBackend")
        if FELLES_PASSWORD_LOGIN
        else []
    ),
    # The identity provider (OpenID Connect); inert until FELLES_OIDC_CLIENT_ID is set.
    "felles.signin.backends.OidcBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = int(os.environ.get("FELLES_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("FELLES_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("FELLES_PROXY_COUNT", "0")) or None

# --- Sign-in with OpenID Connect (felles.signin, docs/configuration.md) -------------------
# mozilla-django-oidc's settings, from FELLES_OIDC_*. On when a client id and either a
# discovery URL or the endpoints are set. Endpoints left empty come from the discovery
# document, fetched at the first sign-in (not at start-up).
OIDC_RP_CLIENT_ID = os.environ.get("FELLES_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("FELLES_OIDC_CLIENT_SECRET", "")
_oidc_issuer = os.environ.get("FELLES_OIDC_ISSUER", "").rstrip("/")
OIDC_OP_DISCOVERY_URL = os.environ.get("FELLES_OIDC_DISCOVERY_URL", "") or (
    f"{_oidc_issuer}/.well-known/openid-configuration" if _oidc_issuer else ""
)
OIDC_OP_ISSUER = _oidc_issuer
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("FELLES_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("FELLES_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("FELLES_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("FELLES_OIDC_JWKS_ENDPOINT", "")
OIDC_OP_END_SESSION_ENDPOINT = os.environ.get("FELLES_OIDC_END_SESSION_ENDPOINT", "")
OIDC_RP_SCOPES = os.environ.get("FELLES_OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = os.environ.get("FELLES_OIDC_SIGN_ALGO", "RS256")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_CREATE_USER = False  # a person comes from the HR import, never from a claim
OIDC_STORE_ID_TOKEN = True  # the hint for the provider's end-session endpoint
OIDC_TIMEOUT = max(1.0, float(os.environ.get("FELLES_OIDC_TIMEOUT", "10")))
OIDC_VERIFY_SSL = True
OIDC_AUTHENTICATION_CALLBACK_URL = "signin_callback"
# Minutes before the sign-in is renewed with the provider (silently while the person is
# still signed in there; a new sign-in otherwise).
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = int(os.environ.get("FELLES_OIDC_RENEW_MINUTES", "15")) * 60
# The claims Felles matches a person by: the stable identifier (Entra ID: oid), then the
# employee number (if the provider sends one), then the e-mail address.
FELLES_OIDC_ID_CLAIM = os.environ.get("FELLES_OIDC_ID_CLAIM", "sub")
FELLES_OIDC_EMPLOYEE_NUMBER_CLAIM = os.environ.get("FELLES_OIDC_EMPLOYEE_NUMBER_CLAIM", "")
FELLES_OIDC_EMAIL_CLAIM = os.environ.get("FELLES_OIDC_EMAIL_CLAIM", "email")
# Refused provider sign-ins are not password guesses: Axes neither counts nor locks them.
AXES_WHITELIST_CALLABLE = "felles.signin.backends.provider_attempt"

# --- Security headers -----------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("FELLES_SECURE_COOKIES", not (DEBUG or DEMO))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("FELLES_SESSION_HOURS", "10")) * 3600
SECURE_HSTS_SECONDS = 0 if DEBUG or DEMO else int(os.environ.get("FELLES_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_SSL_REDIRECT = env_bool("FELLES_SSL_REDIRECT", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("FELLES_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The hash is that of an empty <style>: plotly (charts) appends one and fills it
        # through the CSSOM, which CSP does not govern. No other inline style is allowed.
        "style-src": ["'self'", "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "nb"
# Each language is named in itself in the switcher; each app has its own catalogue
# (src/felles/<app>/locale, scripts/messages.py), so there is no project-wide one.
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS: list[Path] = []
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("FELLES_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages from npm, installed by scripts/install.sh (never committed).
STATICFILES_DIRS = [
    (prefix, NODE_MODULES / path)
    for prefix, path in [
        ("vendor/designsystemet", "@digdir/designsystemet-css/dist"),
        ("vendor/inter", "@fontsource/inter"),
        ("vendor/htmx", "htmx.org/dist"),
        ("vendor/plotly", "plotly.js-basic-dist-min"),
    ]
    if (NODE_MODULES / path).is_dir()
]
# Hashed file names (web/felles.3f2a….css) that WhiteNoise serves with a year's cache;
# they need `felles collectstatic` (which `felles demo` runs). The tests use plain names
# straight from the finders (conf/test_settings.py), so a fresh clone needs no collect.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG  # runserver in debug serves straight from the finders

# --- E-mail ---------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "FELLES_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG or DEMO
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("FELLES_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("FELLES_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("FELLES_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FELLES_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("FELLES_EMAIL_TLS", False)
# Seconds an SMTP connect, read or write may block (Django's default waits for ever, which
# would hang the job or request sending the mail).
EMAIL_TIMEOUT = max(1.0, float(os.environ.get("FELLES_EMAIL_TIMEOUT", "30")))
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("FELLES_FROM_EMAIL", "Felles <felles@dss.dep.no>")
# Attempts at sending one e-mail from the outbox (felles.core.mail) before it is listed as
# failed: the job queue's back-off waits 1, 2, 4, … minutes in between (8: about two hours).
FELLES_MAIL_MAX_ATTEMPTS = max(1, int(os.environ.get("FELLES_MAIL_MAX_ATTEMPTS", "8")))

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Secrets sent in a URL (calendar feeds, an intranet's ?nokkel=) never reach the log.
    "filters": {"redact": {"()": "felles.conf.redact.RedactingFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("FELLES_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Felles ---------------------------------------------------------------------------
FELLES_API_TOKEN_DAYS = int(os.environ.get("FELLES_API_TOKEN_DAYS", "90"))
# Approval links in e-mails stay valid this many days (they are single-use regardless).
FELLES_APPROVAL_LINK_DAYS = int(os.environ.get("FELLES_APPROVAL_LINK_DAYS", "14"))
# Working days before an undecided approval moves to the approver's own manager.
FELLES_APPROVAL_ESCALATION_DAYS = int(os.environ.get("FELLES_APPROVAL_ESCALATION_DAYS", "3"))
# Working days the orderer has to confirm or reopen a delivered order before it closes.
FELLES_CONFIRM_WORKING_DAYS = int(os.environ.get("FELLES_CONFIRM_WORKING_DAYS", "5"))
# Days the read log of restricted orders (who read a legal-aid, AKAN or security case) is
# kept before the daily job deletes older rows (default five years).
FELLES_READ_LOG_RETENTION_DAYS = max(
    1, int(os.environ.get("FELLES_READ_LOG_RETENTION_DAYS", str(5 * 365)))
)
FELLES_IMPORT_MAX_BYTES = int(os.environ.get("FELLES_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
# A running job's lease: its worker renews it every third of this; once it has run out
# (the worker died), any worker takes the job back.
FELLES_JOB_LEASE_SECONDS = max(1, int(os.environ.get("FELLES_JOB_LEASE_SECONDS", "120")))
# The longest a job may run (unless its handler sets max_runtime): after it the lease is no
# longer renewed, so a hung handler's job is taken back and reported as stuck.
FELLES_JOB_MAX_RUNTIME_SECONDS = max(
    1, int(os.environ.get("FELLES_JOB_MAX_RUNTIME_SECONDS", str(15 * 60)))
)
# Audit checkpoints (felles.core.checkpoints): the chain's end, signed with HMAC-SHA256 under
# a key the database does not hold, appended to a file outside the database and optionally
# e-mailed to the auditor. Without a key, `felles audit verify` checks the chain alone.
FELLES_AUDIT_CHECKPOINT_KEY = os.environ.get("FELLES_AUDIT_CHECKPOINT_KEY", "")
FELLES_AUDIT_CHECKPOINT_KEY_FILE = os.environ.get("FELLES_AUDIT_CHECKPOINT_KEY_FILE", "")
FELLES_AUDIT_CHECKPOINT_FILE = Path(
    os.environ.get("FELLES_AUDIT_CHECKPOINT_FILE", DATA_DIR / "audit-checkpoints.jsonl")
)
FELLES_AUDIT_CHECKPOINT_EMAIL = env_list("FELLES_AUDIT_CHECKPOINT_EMAIL")
FELLES_AUDIT_CHECKPOINT_MINUTES = max(
    1, int(os.environ.get("FELLES_AUDIT_CHECKPOINT_MINUTES", "60"))
)
