"""WSGI entry point for `felles serve` (gunicorn) and any other WSGI server."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from felles.conf import SETUP_HINT

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "felles.conf.settings")
try:
    application = get_wsgi_application()
    # Refuse to serve without a secret key (the setting may be empty for commands that need
    # none; Django raises on first use, which would otherwise be the first request).
    settings.SECRET_KEY  # noqa: B018
except ImproperlyConfigured as exc:
    if "SECRET_KEY" in str(exc):
        raise ImproperlyConfigured(SETUP_HINT) from exc
    raise
