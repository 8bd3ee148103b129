"""Django settings, read from the environment so that every worker and machine runs the same configuration.

``DATABASE_URL`` (postgres://...) selects PostgreSQL, else SQLite at ``GOVLENS_HOME/govlens.sqlite3``;
``SECRET_KEY`` else a key generated once and kept under ``GOVLENS_HOME``; ``ALLOWED_HOSTS`` (comma list);
``GOVLENS_DEBUG=1`` for development; uploads under ``GOVLENS_HOME/uploads``.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from govlens.home import home_dir, kept_secret
from govlens.web.database import database_from_url, sqlite_database

WEB_DIR = Path(__file__).resolve().parent
HOME = home_dir()


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    return key or kept_secret(HOME / "secret_key")


def _flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


SECRET_KEY = _secret_key()
DEBUG = _flag("GOVLENS_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "govlens.web.cycles",
    "govlens.web.accounts",
    "govlens.web.audit",
    "govlens.web.collection",
    "govlens.web.review",
    "govlens.web.api",
    "govlens.web.publish",
    "django_tasks",
    "django_tasks_db",
    "govlens.web.jobs",
    "govlens.web.followup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # French spacing before : ; ? ! on every page, whichever catalogue or template the words come from
    "govlens.web.typography.TypographyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Content-Security-Policy everywhere; Cache-Control: no-store on what authenticated users receive
    "govlens.web.headers.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # a lost database connection: 503 with Retry-After on every page, not a 500
    "govlens.web.outage.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "govlens.web.urls"
WSGI_APPLICATION = "govlens.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
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

_url = os.environ.get("DATABASE_URL", "").strip()
DATABASES = {"default": database_from_url(_url) if _url else sqlite_database(HOME / "govlens.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: this many failures for one name (normalised, case-folded) within the window lock further attempts.
GOVLENS_LOGIN_MAX_FAILURES = int(os.environ.get("GOVLENS_LOGIN_MAX_FAILURES", "5"))
GOVLENS_LOGIN_WINDOW_SECONDS = int(os.environ.get("GOVLENS_LOGIN_WINDOW_SECONDS", "900"))
# ... and this many failures from one client address (any names: guessing across accounts) lock that address.
GOVLENS_LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("GOVLENS_LOGIN_MAX_FAILURES_PER_ADDRESS", "30"))

# Where a cycle's framework comes from: a callable (framework id) -> Framework, or its dotted path.
GOVLENS_FRAMEWORK_LOADER = os.environ.get("GOVLENS_FRAMEWORK_LOADER", "govlens.web.cycles.frameworks.catalogue_loader")
# The only folder whose framework files the admin's cycle form may name (the command line reads any path).
GOVLENS_FRAMEWORK_DIR = Path(os.environ.get("GOVLENS_FRAMEWORK_DIR", str(HOME / "frameworks")))

# Background jobs (release computation, PDF reports): queued in the database so that several worker processes
# or machines share one queue (`govlens worker`). Releases and report files go under GOVLENS_HOME.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Formats the release job writes, and whether it freezes the public-data benchmarks (needs the data mirror).
GOVLENS_RELEASE_FORMATS = tuple(
    f.strip() for f in os.environ.get("GOVLENS_RELEASE_FORMATS", "html,pdf").split(",") if f.strip()
)
GOVLENS_RELEASE_BENCHMARKS = _flag("GOVLENS_RELEASE_BENCHMARKS", True)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("pt", _("Portuguese")), ("fr", _("French"))]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("GOVLENS_STATIC_ROOT", str(HOME / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Static files are served from the app folders as well, so `serve` works without collectstatic.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = HOME / "uploads"
# Evidence files and their folders are owner-only, whatever the process umask (022 lets everyone read them).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Uploaded evidence: size limit and the allowed types (extension -> content type).
GOVLENS_UPLOAD_MAX_BYTES = int(os.environ.get("GOVLENS_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
GOVLENS_UPLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# Files are measured while they stream in and stopped at the limit, before being kept whole anywhere.
FILE_UPLOAD_HANDLERS = [
    "govlens.web.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
# Behind HTTPS in production set GOVLENS_SECURE_COOKIES=1 (cookies then never travel over plain HTTP).
SESSION_COOKIE_SECURE = _flag("GOVLENS_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # Behind a TLS-terminating load balancer: trust its X-Forwarded-Proto, redirect plain HTTP (except the
    # health check the balancer itself calls) and ask browsers to stay on HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _flag("GOVLENS_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health$"]
    # A year (what browsers' preload lists ask for); subdomains are left alone, they may not all be ours.
    SECURE_HSTS_SECONDS = int(os.environ.get("GOVLENS_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "govlens@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GOVLENS_LOG_LEVEL", "WARNING")},
}
