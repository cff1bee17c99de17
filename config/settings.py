"""Settings for ZiO Persona's: one file, driven by environment variables.

Defaults give a local development set-up on SQLite. Production sets at least
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL, and leaves DEBUG off.
See `.env.example` for every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local `.env` is optional; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only for local development; never used with DEBUG off.
    SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "zio.common",
    "zio.accounts",
    "zio.organisations",
    "zio.personas",
    "zio.costs",
    "zio.screening",
    "zio.grouping",
    "zio.exports",
    "zio.workshops",
    "zio.regions",
    "zio.library",
    "zio.api",
    "zio.audit",
    "zio.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zio.common.middleware.SessionRefreshMiddleware",
    "zio.common.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks a session as verified once the second log-in step (TOTP) is done.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zio.organisations.middleware.ActiveOrganisationMiddleware",
    # Sends users who still owe the second log-in step (or must set it up) to that page.
    "zio.accounts.middleware.TwoFactorMiddleware",
    # Logs who looked at, changed or exported what (after the organisation is known).
    "zio.audit.middleware.AuditMiddleware",
    # Axes goes last so it sees the outcome of the login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# Form widgets may use our own templates (e.g. the avatar picker).
FORM_RENDERER = "zio.common.forms.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zio" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zio.organisations.context_processors.active_organisation",
                "zio.common.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite file by default; DATABASE_URL (postgres://...) switches engine.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts and log-in
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses log-ins of locked-out users before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "common:start"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a day

# Log-in throttling (django-axes): lock a username+IP pair after repeated failures,
# so that one school's shared IP address is not locked out as a whole.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Data minimisation: no log of successful log-ins until the audit log (with retention) exists.
AXES_DISABLE_ACCESS_LOG = True
# Behind reverse proxies: how many (each appends to X-Forwarded-For). 0 = use REMOTE_ADDR.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
AXES_CLIENT_IP_CALLABLE = "zio.common.client.client_address"

# Sessions: expire after inactivity.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 4)
# The expiry moves on with use, written at most once per this many seconds (not on every
# request: see zio.common.middleware.SessionRefreshMiddleware).
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "zio.common.views.csrf_failure"

# Two-factor log-in (django-otp): the name the authenticator app shows, and how wrong codes
# are slowed down (after n wrong codes in a row, wait factor * 2^(n-1) seconds).
OTP_TOTP_ISSUER = "ZiO Persona's"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
TWO_FACTOR_RECOVERY_CODES = 10
# Platform staff may remove a user's devices (a lost phone), but never read their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Invitations are one-time links a beheerder copies; they expire.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# Privacy: counts below this number of pupils are never shown (small-cell suppression).
SMALL_CELL_THRESHOLD = env.int("SMALL_CELL_THRESHOLD", default=10)

# Screenings: upload limits, and the key for the pupil-code hashes. Pupil codes are stored
# only as HMAC-SHA256(key, code). Changing the key makes old and new hashes incomparable, so
# production sets its own PUPIL_CODE_KEY once and keeps it.
SCREENING_MAX_UPLOAD_MB = env.int("SCREENING_MAX_UPLOAD_MB", default=20)
SCREENING_MAX_ROWS = env.int("SCREENING_MAX_ROWS", default=200_000)
# Files up to this size are imported while the user waits; larger ones by the worker.
SCREENING_INLINE_MAX_BYTES = env.int("SCREENING_INLINE_MAX_BYTES", default=512 * 1024)
# Screenings are kept for the current school year and this many before it; older ones are
# deleted by `manage.py screening_retention` (run it daily or weekly, see docs/privacy.md).
SCREENING_RETENTION_YEARS = env.int("SCREENING_RETENTION_YEARS", default=2)
# The audit log (who viewed, changed or exported what) is kept this many days; older events are
# deleted by `manage.py audit_retention` (run it daily).
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=730)
PUPIL_CODE_KEY = env.str("PUPIL_CODE_KEY", default="")
if not PUPIL_CODE_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("PUPIL_CODE_KEY must be set when DEBUG is off.")
    PUPIL_CODE_KEY = "dev-only-pupil-code-key-" + SECRET_KEY[:16]

# Grouping (step 2): the range of groups tried, random starts per number of groups, and the
# refits that measure how stable each group is.
GROUPING_K_MAX = env.int("GROUPING_K_MAX", default=10)
GROUPING_N_INIT = env.int("GROUPING_N_INIT", default=5)
GROUPING_BOOTSTRAP = env.int("GROUPING_BOOTSTRAP", default=10)

# Exports (step 4): how long a made file is kept for download, and the largest persona file
# (JSON exchange format) that may be imported.
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
EXCHANGE_IMPORT_MAX_BYTES = env.int("EXCHANGE_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)

# Background work (large screening imports): Django's tasks framework, kept in the database;
# `manage.py db_worker` runs them (make run starts one).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# Uploaded files wait here for the worker, outside the web root; removed after the import.
PRIVATE_UPLOAD_ROOT = env.path("PRIVATE_UPLOAD_ROOT", default=BASE_DIR / "private" / "uploads")

# E-mail: printed to the console in development, so no mail server is needed there;
# SMTP in production (MAIL_HOST and friends).
# Set MAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the MAIL_* options for SMTP.
MAIL_BACKEND = env.str(
    "MAIL_BACKEND",
    default=f"django.core.mail.backends.{'console' if DEBUG else 'smtp'}.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": MAIL_BACKEND,
        "OPTIONS": (
            {
                "host": env.str("MAIL_HOST", default="localhost"),
                "port": env.int("MAIL_PORT", default=587),
                "username": env.str("MAIL_USER", default=""),
                "password": env.str("MAIL_PASSWORD", default=""),
                "use_tls": env.bool("MAIL_USE_TLS", default=True),
            }
            if MAIL_BACKEND.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ZiO Persona's <noreply@localhost>")

# Internationalisation: Dutch first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "zio" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Static files: our own CSS, vendored htmx and fonts; served by WhiteNoise.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "zio" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads live outside the web root and are only served through permission-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Django keeps uploads up to this size in memory, larger ones in a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Security headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Axes logs every log-in at INFO, WeasyPrint every page and fontTools every font subset;
    # their warnings and errors still come through.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
