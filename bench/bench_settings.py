"""Settings for the benchmarks that run the app under gunicorn (bench/serving.py): the real
production settings (DEBUG off, Argon2, WhiteNoise, security headers) with what plain HTTP on
127.0.0.1 needs, and the benchmark's own URLconf that adds a bare view to compare with.

Never used by the product. The driver sets DATABASE_URL, SECRET_KEY, PUPIL_CODE_KEY,
ALLOWED_HOSTS and the private folders in the environment before this module loads.
"""

import os

# Production behaviour, also on a machine where `make run` wrote DEBUG=1 into the local .env.
os.environ["DEBUG"] = "false"

from config.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.bench_urls"
# Plain HTTP on 127.0.0.1: no redirect to HTTPS, no HSTS, cookies without the Secure flag (a
# client does not send a Secure cookie over HTTP). Everything else stays as in production.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No collectstatic for a benchmark: WhiteNoise serves from the source folders and templates
# get plain static URLs (production uses the hashed names of the manifest; the lookup is a
# dictionary read either way).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # type: ignore[assignment]  # nothing collected: only the source folders

from config.settings import DATABASES  # noqa: E402

# Without PostgreSQL the benchmark falls back to a SQLite file; two workers write sessions at
# once, so let readers and a writer work side by side (WAL) and take the write lock up front.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
