"""Settings for the test suite: production defaults (DEBUG off) with test-only secrets,
a fast password hasher and in-memory e-mail."""

import os
import tempfile

os.environ.setdefault("FELLES_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("FELLES_DATA_DIR", tempfile.mkdtemp(prefix="felles-test-"))

from felles.conf.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Static files by their plain names, straight from the finders: a fresh clone runs the
# tests without `collectstatic` (production uses hashed names from the manifest).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Each test's Client builds the middleware anew, and WhiteNoise would list every static
# file of the finders (≈ 550, 40–120 ms) each time; with autorefresh it looks a static URL
# up when one is asked for, and a test that asks for none pays nothing.
WHITENOISE_AUTOREFRESH = True

# SQLite tests use a file (WAL, busy timeout), as production does, instead of the shared
# in-memory database whose table locks would make concurrency tests meaningless.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(os.environ["FELLES_DATA_DIR"], "test.sqlite3")
    }

# Persistent connections would outlive the live server's request threads in the browser
# tests and keep the PostgreSQL test database busy at teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
