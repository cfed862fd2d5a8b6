import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.base")

# gunicorn and runserver both start here: production never serves with a throwaway key.
if settings.SECRET_KEY_MISSING and not settings.DEBUG:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off. For local work run with DEBUG=1."
    )

application = get_wsgi_application()
