"""Settings for the test suite: the real settings with a few speed-ups.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and PostgreSQL.
"""

import os
import tempfile
from pathlib import Path

# The suite tests the production behaviour (security headers among it), also on a machine
# where `make run` wrote DEBUG=1 into the local .env.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("PUPIL_CODE_KEY", "test-only-pupil-code-key")

from config.settings import *  # noqa: E402, F403
from config.settings import DATABASES  # noqa: E402

# Argon2 is deliberately slow; tests that check hashing use config.settings directly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["TEST"]["NAME"] = os.environ.get("TEST_DATABASE_NAME", "test_zio")
LANGUAGE_CODE = "nl"
# Serve static files straight from the source folders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The test client and live server speak plain HTTP; `check --deploy` is tested separately
# against the production settings.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Background tasks run at once in tests, unless a test chooses the database backend.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Fewer fits keep the grouping tests quick; the analysis itself is tested in full elsewhere.
GROUPING_K_MAX = 4
GROUPING_N_INIT = 2
GROUPING_BOOTSTRAP = 3
# Uploads waiting for the worker and made export files go to a temporary folder, never into
# the project.
PRIVATE_UPLOAD_ROOT = Path(tempfile.mkdtemp(prefix="zio-test-private-"))
